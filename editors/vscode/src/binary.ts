// Finding the primer-ls executable: the `primer.server.path` setting, then the binary bundled in
// the extension's `server/` folder, then `PATH`. No `vscode` import; the file system checks are
// injectable so the unit tests can describe any machine.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { expandHome } from './config';

export type BinarySource = 'setting' | 'bundled' | 'PATH';

export type Lookup =
  | { found: true; path: string; source: BinarySource }
  | { found: false; message: string; tried: string[] };

export interface LookupInput {
  /** `primer.server.path` ('' when unset). */
  setting: string;
  /** The extension's folder; a bundled binary sits in its `server/` folder. */
  extensionDir: string;
  /** The first workspace folder, for a relative setting. */
  workspaceDir?: string;
  /** The PATH environment variable. */
  pathEnv?: string;
  platform?: NodeJS.Platform;
  home?: string;
  /** Whether `p` is a file that can be executed. */
  isExecutable?: (p: string) => boolean;
}

/** The executable's file name on a platform. */
export function binaryName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'primer-ls.exe' : 'primer-ls';
}

/** Where a bundled binary would be inside the extension. */
export function bundledPath(extensionDir: string, platform: NodeJS.Platform = process.platform): string {
  return path.join(extensionDir, 'server', binaryName(platform));
}

/** Whether `p` is an existing regular file we may execute. */
export function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(p, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the server binary. A `primer.server.path` that does not name an executable file is an
 * error, not a reason to fall back: the user asked for that binary and should learn it is missing.
 */
export function findServer(input: LookupInput): Lookup {
  const platform = input.platform ?? process.platform;
  const isExecutable = input.isExecutable ?? isExecutableFile;
  const home = input.home ?? os.homedir();
  const tried: string[] = [];

  if (input.setting) {
    let p = expandHome(input.setting, home);
    if (!path.isAbsolute(p) && input.workspaceDir) {
      p = path.join(input.workspaceDir, p);
    }
    tried.push(p);
    if (isExecutable(p)) {
      return { found: true, path: p, source: 'setting' };
    }
    return {
      found: false,
      tried,
      message:
        `The primer.server.path setting names "${p}", which is not an executable file. ` +
        'Correct the setting, or clear it to use the bundled server or primer-ls on PATH.',
    };
  }

  const bundled = bundledPath(input.extensionDir, platform);
  tried.push(bundled);
  if (isExecutable(bundled)) {
    return { found: true, path: bundled, source: 'bundled' };
  }

  const names = platform === 'win32' ? ['primer-ls.exe', 'primer-ls.cmd', 'primer-ls'] : ['primer-ls'];
  const sep = platform === 'win32' ? ';' : ':';
  for (const dir of (input.pathEnv ?? '').split(sep)) {
    if (!dir) {
      continue;
    }
    for (const name of names) {
      const p = path.join(dir, name);
      tried.push(p);
      if (isExecutable(p)) {
        return { found: true, path: p, source: 'PATH' };
      }
    }
  }
  return {
    found: false,
    tried,
    message:
      'The primer-ls language server was not found: this extension has no bundled binary and ' +
      'primer-ls is not on PATH. Build it (cargo build --release) and set primer.server.path to ' +
      'target/release/primer-ls, or put primer-ls on PATH, then run "Primer: Restart Server".',
  };
}
