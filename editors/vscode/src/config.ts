// Typed settings: reading the `primer.*` configuration, turning it into what the server reads
// (initializationOptions and the `primer` configuration section), and deciding what a change
// needs. No `vscode` import, so the unit tests run without a workbench.

import * as os from 'os';
import * as path from 'path';

export type Trace = 'off' | 'messages' | 'verbose';

/** The extension's settings, with defaults filled in and wrong types replaced by defaults. */
export interface Settings {
  /** `primer.server.path`: the primer-ls executable ('' = bundled, then PATH). */
  serverPath: string;
  /** `primer.path`: the course text folder ('' = workspace `primer/` or the built-in primer). */
  primerPath: string;
  /** `primer.inlayHints.enabled`. */
  inlayHints: boolean;
  /** `primer.diagnostics.debounceMs`. */
  debounceMs: number;
  /** `primer.trace.server` (read by vscode-languageclient itself; kept here for completeness). */
  trace: Trace;
}

/** The keys below `primer.` that the extension defines, with their defaults. */
export const DEFAULTS = {
  'server.path': '',
  path: '',
  'inlayHints.enabled': false,
  'diagnostics.debounceMs': 200,
  'trace.server': 'off',
} as const;

export type SettingKey = keyof typeof DEFAULTS;

/** Settings that only take effect when the server process is started again. */
const RESTART_KEYS: SettingKey[] = ['server.path'];

/** Settings the running server picks up from workspace/didChangeConfiguration. */
const RECONFIGURE_KEYS: SettingKey[] = ['path', 'inlayHints.enabled', 'diagnostics.debounceMs'];

const TRACES: Trace[] = ['off', 'messages', 'verbose'];

/**
 * Reads the settings through `get`, which returns the value of a key below `primer.` (as
 * `vscode.workspace.getConfiguration('primer').get(key)` does) or undefined.
 */
export function readSettings(get: (key: SettingKey) => unknown): Settings {
  const str = (key: SettingKey, fallback: string): string => {
    const v = get(key);
    return typeof v === 'string' ? v.trim() : fallback;
  };
  const ms = get('diagnostics.debounceMs');
  const hints = get('inlayHints.enabled');
  const trace = get('trace.server');
  return {
    serverPath: str('server.path', DEFAULTS['server.path']),
    primerPath: str('path', DEFAULTS.path),
    inlayHints: typeof hints === 'boolean' ? hints : DEFAULTS['inlayHints.enabled'],
    debounceMs:
      typeof ms === 'number' && Number.isFinite(ms)
        ? Math.min(10_000, Math.max(0, Math.round(ms)))
        : DEFAULTS['diagnostics.debounceMs'],
    trace: TRACES.includes(trace as Trace) ? (trace as Trace) : 'off',
  };
}

/** The `primer` section as the server reads it (docs/protocol.md, "Settings"). */
export interface ServerSettings {
  /** Always sent, '' included: the server keeps a missing key's old value, '' clears it. */
  path: string;
  diagnostics: { debounceMs: number };
  inlayHints: { enabled: boolean };
  /** Always true: the extension contributes the `primerTerm` and `primerLink` token types. */
  semanticTokens: { customTypes: boolean };
}

/** Expands a leading `~` to the home folder; other paths are passed on unchanged. */
export function expandHome(p: string, home: string = os.homedir()): string {
  if (p === '~') {
    return home;
  }
  if (p.startsWith('~/') || p.startsWith('~\\')) {
    return path.join(home, p.slice(2));
  }
  return p;
}

/** The server's `primer` section for these settings. */
export function serverSettings(s: Settings, home?: string): ServerSettings {
  return {
    path: s.primerPath ? expandHome(s.primerPath, home) : '',
    diagnostics: { debounceMs: s.debounceMs },
    inlayHints: { enabled: s.inlayHints },
    semanticTokens: { customTypes: true },
  };
}

/** initializationOptions for the server: `{"primer": {...}}`. */
export function initializationOptions(s: Settings, home?: string): { primer: ServerSettings } {
  return { primer: serverSettings(s, home) };
}

/** What a configuration change requires. */
export type ChangeEffect = 'restart' | 'reconfigure' | 'none';

/**
 * What to do after a configuration change; `affects(key)` says whether `primer.<key>` changed
 * (as `ConfigurationChangeEvent.affectsConfiguration` does). A restart covers a reconfigure.
 * `primer.trace.server` needs neither: vscode-languageclient applies it by itself.
 */
export function changeEffect(affects: (key: SettingKey) => boolean): ChangeEffect {
  if (RESTART_KEYS.some(affects)) {
    return 'restart';
  }
  if (RECONFIGURE_KEYS.some(affects)) {
    return 'reconfigure';
  }
  return 'none';
}
