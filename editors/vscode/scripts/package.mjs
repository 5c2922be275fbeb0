// `npm run package`: builds the .vsix with @vscode/vsce. When a release build of the server
// exists (../../target/release/primer-ls), it is copied into server/ and ships in the .vsix;
// otherwise the extension looks for primer-ls on PATH (or primer.server.path) at run time.
//
// Env: PRIMER_LS_BUNDLE  a binary to bundle instead of the release build, or "none" for none.
// Extra arguments go to `vsce package` (e.g. `npm run package -- --out primer.vsix`).

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const exe = process.platform === 'win32' ? 'primer-ls.exe' : 'primer-ls';
const wanted = process.env.PRIMER_LS_BUNDLE;
const source = wanted === 'none' ? undefined : resolve(root, wanted || join('..', '..', 'target', 'release', exe));

const serverDir = join(root, 'server');
rmSync(serverDir, { recursive: true, force: true });
if (source && existsSync(source)) {
  mkdirSync(serverDir);
  copyFileSync(source, join(serverDir, exe));
  chmodSync(join(serverDir, exe), 0o755);
  console.log(`package: bundling ${source}`);
} else if (wanted && wanted !== 'none') {
  console.error(`package: PRIMER_LS_BUNDLE=${wanted} does not exist`);
  process.exit(1);
} else {
  console.log('package: no server binary bundled (no target/release/primer-ls); the extension will use PATH');
}

// vsce runs the vscode:prepublish script (the production esbuild bundle) itself. The bundle holds
// every dependency, so node_modules stays out of the package.
const vsce = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
const args = ['package', '--no-dependencies', '--allow-missing-repository', ...process.argv.slice(2)];
const run = spawnSync(vsce, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(run.status ?? 1);
