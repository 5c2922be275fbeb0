// The cohort page without the workbench: the `primer-ls cohort` command line for the current
// settings, the page made ready for a webview, and where one of its note links leads. No
// `vscode` import, so the unit tests run without a workbench.

import * as path from 'path';

import { expandHome } from './config';

export interface CohortInput {
  /** `primer.path` as the user wrote it ('' = the workspace's `primer/`, else the bundled one). */
  primerPath: string;
  /** The first workspace folder, if any. */
  workspaceDir?: string;
  /** The folder with one folder of notes per student. */
  cohortDir: string;
  /** Where the page is written: never inside `cohortDir` (the server refuses that). */
  pageFile: string;
  /** Whether a folder exists (the workspace's `primer/`). */
  isDir: (p: string) => boolean;
  home?: string;
}

/** The arguments of `primer-ls` that write the cohort page for the same course text the server reads. */
export function cohortArgs(input: CohortInput): string[] {
  const args = ['cohort'];
  const primer = input.primerPath
    ? expandHome(input.primerPath, input.home)
    : input.workspaceDir && input.isDir(path.join(input.workspaceDir, 'primer'))
      ? path.join(input.workspaceDir, 'primer')
      : '';
  if (primer) {
    const absolute = path.isAbsolute(primer) || !input.workspaceDir ? primer : path.join(input.workspaceDir, primer);
    args.push('--primer', absolute);
  }
  args.push('--html', input.pageFile, input.cohortDir);
  return args;
}

/**
 * The note a link of the page leads to: its links are paths relative to the page's folder
 * (percent-encoded) or `file:` URLs. Anything else (a web link, an anchor) is not a note.
 */
export function noteTarget(href: string, pageFile: string): string | undefined {
  if (!href || href.startsWith('#')) {
    return undefined;
  }
  if (href.startsWith('file://')) {
    try {
      return decodeURIComponent(new URL(href).pathname);
    } catch {
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
    return undefined;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(href.split('#')[0]);
  } catch {
    return undefined;
  }
  return path.resolve(path.dirname(pageFile), relative);
}

/**
 * The page for a webview: a strict content security policy (inline styles, inline images, and
 * the one script below, nothing from the network), and a script that hands a click on a link to
 * the extension, which opens the note in an editor.
 */
export function webviewHtml(page: string, nonce: string): string {
  const csp =
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; ` +
    `style-src 'unsafe-inline'; img-src data:; script-src 'nonce-${nonce}';">`;
  const script =
    `<script nonce="${nonce}">` +
    `const vscode = acquireVsCodeApi();` +
    `document.addEventListener('click', e => {` +
    `const a = e.target.closest && e.target.closest('a[href]');` +
    `if (!a) return; e.preventDefault(); vscode.postMessage({ href: a.getAttribute('href') });` +
    `});</script>`;
  const withCsp = /<head[^>]*>/i.test(page) ? page.replace(/<head[^>]*>/i, m => m + csp) : csp + page;
  return /<\/body>/i.test(withCsp) ? withCsp.replace(/<\/body>/i, script + '</body>') : withCsp + script;
}
