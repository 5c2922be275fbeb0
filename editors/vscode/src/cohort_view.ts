// "Primer: Open Cohort View": asks for a class folder (one folder of notes per student), runs
// `primer-ls cohort --html` on it and shows the page in a webview; a click on a note link opens
// the note in an editor.

import { execFile } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

import { cohortArgs, noteTarget, webviewHtml } from './cohort';
import { errorText } from './progress';

/** How long the page may take: a cohort of 200 students is written in well under a second. */
const TIMEOUT_MS = 60_000;

let panel: vscode.WebviewPanel | undefined;

/** Asks for the class folder, starting from the workspace. */
async function askFolder(): Promise<string | undefined> {
  const chosen = await vscode.window.showOpenDialog({
    title: 'Primer: Open Cohort View — the folder with one folder of notes per student',
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Show Cohort',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return chosen?.[0]?.fsPath;
}

function run(binary: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const said = String(stderr || '').trim().split('\n').slice(-3).join(' ');
        reject(new Error(said || err.message));
      } else {
        resolve({ stdout: String(stdout), stderr: String(stderr) });
      }
    });
  });
}

/**
 * Shows the cohort of `dir` (asked for when not given). `binary` is the primer-ls the extension
 * runs; `primerPath` the `primer.path` setting.
 */
export async function openCohortView(binary: string, primerPath: string, output: vscode.OutputChannel, dir?: string): Promise<void> {
  const cohortDir = dir ?? (await askFolder());
  if (!cohortDir) {
    return;
  }
  const pageFile = path.join(os.tmpdir(), `primer-cohort-${process.pid}.html`);
  const args = cohortArgs({
    primerPath,
    workspaceDir: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    cohortDir,
    pageFile,
    isDir: p => {
      try {
        return fs.statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
  });
  let page: string;
  try {
    const { stderr } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Primer: reading the cohort' },
      () => run(binary, args),
    );
    if (stderr.trim()) {
      output.appendLine(`[primer] cohort: ${stderr.trim()}`);
    }
    page = fs.readFileSync(pageFile, 'utf8');
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not show the cohort of ${cohortDir}: ${errorText(err)}`);
    return;
  }
  const title = `Cohort: ${path.basename(cohortDir)}`;
  if (!panel) {
    panel = vscode.window.createWebviewPanel('primer.cohort', title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
    });
    panel.onDidDispose(() => (panel = undefined));
    panel.webview.onDidReceiveMessage(async (message: { href?: unknown }) => {
      const target = typeof message?.href === 'string' ? noteTarget(message.href, pageFile) : undefined;
      if (target) {
        await vscode.window.showTextDocument(vscode.Uri.file(target), { viewColumn: vscode.ViewColumn.Beside });
      }
    });
  }
  panel.title = title;
  panel.webview.html = webviewHtml(page, crypto.randomBytes(16).toString('hex'));
  panel.reveal();
}
