// The commands that ask the server something and show the answer: "Open Section…", "Insert
// Outcome Checklist" and the notes that use a section (the "Used by N notes" code lens).

import * as path from 'path';
import * as vscode from 'vscode';
import { type LanguageClient, WorkspaceSymbolRequest } from 'vscode-languageclient/node';

import { executeCommand } from './client';
import {
  type CoverageResult,
  type InsertChecklistParams,
  type InsertChecklistResult,
  ServerCommand,
  type SymbolInformation,
} from './lsp_ext';
import { errorText, isUnsupported, unsupportedMessage, uriBaseName } from './progress';
import { sectionEntries, type SectionEntry } from './sections';

interface SectionPick extends vscode.QuickPickItem {
  entry: SectionEntry;
}

/** "Primer: Open Section…": a quick pick of the primer's sections and headings. */
export async function openSection(client: LanguageClient): Promise<void> {
  const pick = vscode.window.createQuickPick<SectionPick>();
  pick.title = 'Primer: Open Section';
  pick.placeholder = 'Type to find a section or heading of the primer';
  pick.matchOnDescription = true;
  pick.busy = true;
  pick.show();
  let entries: SectionEntry[];
  try {
    const symbols = (await client.sendRequest(WorkspaceSymbolRequest.type, { query: '' })) ?? [];
    entries = sectionEntries(symbols as SymbolInformation[]);
  } catch (err) {
    pick.dispose();
    void vscode.window.showErrorMessage(`Could not list the primer's sections: ${errorText(err)}`);
    return;
  }
  if (entries.length === 0) {
    pick.dispose();
    void vscode.window.showWarningMessage('The primer has no sections to open.');
    return;
  }
  pick.items = entries.map(entry => ({
    label: entry.isSection ? `$(book) ${entry.label}` : `$(symbol-key) ${entry.label}`,
    description: entry.isSection ? uriBaseName(entry.symbol.location.uri) : entry.section,
    entry,
  }));
  pick.busy = false;
  const chosen = await new Promise<SectionPick | undefined>(resolve => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
  });
  pick.dispose();
  if (!chosen) {
    return;
  }
  const location = client.protocol2CodeConverter.asLocation(chosen.entry.symbol.location);
  const start = location.range.start;
  await vscode.window.showTextDocument(location.uri, {
    selection: new vscode.Range(start, start),
    preview: false,
  });
}

/**
 * "Primer: Insert Outcome Checklist": has the server insert, at the cursor, the outcomes the note
 * does not list yet. The server asks which checklist (a section, or the whole primer) with a
 * question that the client shows as a quick pick, as for the code action.
 */
export async function insertChecklist(client: LanguageClient): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'markdown' || editor.document.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Open a Markdown note and place the cursor where the checklist should go.');
    return false;
  }
  const params: InsertChecklistParams = {
    textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
    position: client.code2ProtocolConverter.asPosition(editor.selection.active),
    ask: true,
  };
  try {
    const result = await executeCommand<InsertChecklistResult | null>(client, ServerCommand.insertChecklist, [params]);
    const n = result?.inserted ?? 0;
    if (n > 0) {
      void vscode.window.showInformationMessage(`Inserted ${n} learning outcome${n === 1 ? '' : 's'} into the note.`);
    } else {
      // Nothing chosen, or the note lists every outcome already: a quiet word, not a notification.
      vscode.window.setStatusBarMessage('Primer: no learning outcome was inserted', 4000);
    }
    return n > 0;
  } catch (err) {
    if (isUnsupported(err)) {
      void vscode.window.showWarningMessage(unsupportedMessage(ServerCommand.insertChecklist, 'outcome checklists'));
    } else {
      void vscode.window.showErrorMessage(`Could not insert the checklist: ${errorText(err)}`);
    }
    return false;
  }
}

/** The notes that rely on the primer section in `uri` (the "Used by N notes" code lens). */
export async function showCoverage(client: LanguageClient, uri?: string): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  if (!target) {
    return;
  }
  let coverage: CoverageResult;
  try {
    coverage = await executeCommand<CoverageResult>(client, ServerCommand.coverage, []);
  } catch (err) {
    if (isUnsupported(err)) {
      void vscode.window.showWarningMessage(unsupportedMessage(ServerCommand.coverage, 'section coverage'));
    } else {
      void vscode.window.showErrorMessage(`Could not read which notes use this section: ${errorText(err)}`);
    }
    return;
  }
  const same = (a: string, b: string) => vscode.Uri.parse(a).toString() === vscode.Uri.parse(b).toString();
  const section = coverage?.sections?.find(s => s.uri && same(s.uri, target));
  if (!section) {
    void vscode.window.showInformationMessage('This file is not a section of the primer in use.');
    return;
  }
  if (section.notes.length === 0) {
    void vscode.window.showInformationMessage(`No note relies on “${section.title}” yet.`);
    return;
  }
  const items = section.notes.map(note => {
    const u = vscode.Uri.parse(note);
    return { label: uriBaseName(note), description: path.dirname(vscode.workspace.asRelativePath(u)), uri: u };
  });
  const chosen = await vscode.window.showQuickPick(items, {
    title: `Notes that use “${section.title}”`,
    placeHolder: 'Open a note',
  });
  if (chosen) {
    await vscode.window.showTextDocument(chosen.uri);
  }
}
