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
  type OutcomesResult,
  ServerCommand,
  type SymbolInformation,
} from './lsp_ext';
import { errorText, fraction, isOutcomesResult, isUnsupported, unsupportedMessage, uriBaseName } from './progress';
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

/** The outcomes answer, or undefined when the server cannot give one. */
async function outcomes(client: LanguageClient): Promise<OutcomesResult | undefined> {
  try {
    const result = await executeCommand<unknown>(client, ServerCommand.outcomes, []);
    return isOutcomesResult(result) ? result : undefined;
  } catch {
    return undefined;
  }
}

interface ScopePick extends vscode.QuickPickItem {
  section?: string;
}

/**
 * "Primer: Insert Outcome Checklist": asks which section (or all of them) and has the server
 * insert the outcomes the note does not list yet at the cursor.
 */
export async function insertChecklist(client: LanguageClient): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'markdown' || editor.document.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Open a Markdown note and place the cursor where the checklist should go.');
    return false;
  }
  let section: string | undefined;
  const progress = await outcomes(client);
  if (progress && progress.sections.length > 0) {
    const items: ScopePick[] = [
      { label: 'All sections', description: `${fraction(progress)} done` },
      ...progress.sections.map(s => ({ label: s.title, description: `${fraction(s)} done`, section: s.id })),
    ];
    const chosen = await vscode.window.showQuickPick(items, {
      title: 'Primer: Insert Outcome Checklist',
      placeHolder: 'Which section’s learning outcomes?',
    });
    if (!chosen) {
      return false;
    }
    section = chosen.section;
  }
  const params: InsertChecklistParams = {
    textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
    position: client.code2ProtocolConverter.asPosition(editor.selection.active),
  };
  if (section) {
    params.section = section;
  }
  try {
    const result = await executeCommand<InsertChecklistResult | null>(client, ServerCommand.insertChecklist, [params]);
    const n = result?.inserted ?? 0;
    void vscode.window.showInformationMessage(
      n > 0
        ? `Inserted ${n} learning outcome${n === 1 ? '' : 's'} into the note.`
        : 'The note already lists these learning outcomes.',
    );
    return true;
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
