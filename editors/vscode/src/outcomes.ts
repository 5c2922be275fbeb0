// The learning-outcome views: the "Outcomes" tree (sections with their progress, each outcome
// ticked or not) and the status bar item ("Outcomes 5/12"). Both show the answer of the server's
// `primer.outcomes` command, asked again whenever the server says the counts changed
// (`primer/outcomesChanged`: the workspace indexed, a checklist ticked, notes changed on disk).

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

import { executeCommand } from './client';
import { ServerCommand, type Location, type Outcome } from './lsp_ext';
import {
  fraction,
  isOutcomesResult,
  outcomeTooltip,
  sectionLabel,
  sectionNodes,
  type ProgressState,
  type SectionNode,
  stateFromError,
  statusText,
  statusTooltip,
  viewMessage,
} from './progress';

export const VIEW_ID = 'primer.outcomesView';

type Node = { kind: 'section'; node: SectionNode } | { kind: 'outcome'; outcome: Outcome };

export class OutcomesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private state: ProgressState = { kind: 'loading' };
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly tree: vscode.TreeView<Node>;
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Increases with each request, so that a late answer never overwrites a newer one. */
  private generation = 0;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.tree = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.status = vscode.window.createStatusBarItem('primer.outcomes', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'Primer: Learning Outcomes';
    this.status.command = 'primer.showOutcomes';
    this.disposables.push(this.tree, this.status, this.changed);
    this.render();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach(d => d.dispose());
  }

  /** The state after the last answer. */
  get current(): ProgressState {
    return this.state;
  }

  /** Forgets what the previous server said (after a restart) and asks again. */
  reset(): Promise<ProgressState> {
    this.setState({ kind: 'loading' });
    return this.refresh();
  }

  /** No server runs (`why` says what happened): the views drop their numbers and say so. */
  stopped(why: string): void {
    clearTimeout(this.timer);
    this.generation++;
    this.setState({ kind: 'stopped', message: why });
  }

  /** The server says the counts may have changed (primer/outcomesChanged): ask again. */
  changedOnServer(): void {
    if (this.state.kind !== 'unsupported') {
      void this.refresh();
    }
  }

  /** Asks the server for the outcomes now and shows the answer. */
  async refresh(): Promise<ProgressState> {
    clearTimeout(this.timer);
    const client = this.client();
    if (!client || !client.isRunning()) {
      return this.state;
    }
    const generation = ++this.generation;
    let next: ProgressState;
    try {
      const result = await executeCommand<unknown>(client, ServerCommand.outcomes, []);
      next = isOutcomesResult(result)
        ? { kind: 'ready', result }
        : { kind: 'failed', message: 'The server answered primer.outcomes with something that is not a progress report.' };
    } catch (err) {
      next = stateFromError(err);
    }
    if (generation === this.generation) {
      this.setState(next);
    }
    return this.state;
  }

  /** Refreshes after `delayMs`, restarting the wait on each call (debounce). */
  schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  /** Shows the view: refreshes, reveals the tree, and says so when there is nothing to show. */
  async show(): Promise<void> {
    const state = await this.refresh();
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    if (state.kind === 'unsupported') {
      void vscode.window.showWarningMessage(state.message);
    } else if (state.kind === 'failed') {
      void vscode.window.showErrorMessage(state.message);
    } else if (state.kind === 'loading' || state.kind === 'stopped') {
      void vscode.window.showWarningMessage('primer-ls is not running, so there are no learning outcomes to show. Run "Primer: Restart Server".');
    }
  }

  private setState(state: ProgressState): void {
    this.state = state;
    this.render();
    this.changed.fire(undefined);
  }

  private render(): void {
    const stopped = this.state.kind === 'stopped';
    this.status.text = statusText(this.state);
    this.status.tooltip = statusTooltip(this.state);
    this.status.command = stopped ? 'primer.restartServer' : 'primer.showOutcomes';
    this.status.backgroundColor = stopped ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.tree.message = viewMessage(this.state);
    this.status.show();
  }

  getChildren(element?: Node): Node[] {
    if (this.state.kind !== 'ready') {
      return [];
    }
    if (!element) {
      return sectionNodes(this.state.result).map(node => ({ kind: 'section', node }));
    }
    if (element.kind === 'section') {
      return element.node.outcomes.map(outcome => ({ kind: 'outcome', outcome }));
    }
    return [];
  }

  getTreeItem(element: Node): vscode.TreeItem {
    if (element.kind === 'section') {
      const { section, complete, started } = element.node;
      const state = started ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
      const item = new vscode.TreeItem(sectionLabel(section), state);
      item.id = `section:${section.id}`;
      item.description = fraction(section);
      item.tooltip = `${section.title}: ${section.done} of ${section.total} outcomes done`;
      item.accessibilityInformation = { label: item.tooltip };
      item.iconPath = complete
        ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
        : new vscode.ThemeIcon('book');
      if (section.uri) {
        item.command = openCommand({ uri: section.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
      }
      return item;
    }
    const o = element.outcome;
    const item = new vscode.TreeItem(o.text, vscode.TreeItemCollapsibleState.None);
    item.id = `outcome:${o.id}`;
    item.description = o.done ? `✓ ${o.id}` : o.id;
    item.tooltip = outcomeTooltip(o);
    item.iconPath = o.done
      ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon('circle-large-outline');
    item.accessibilityInformation = { label: `${o.done ? 'Done' : 'Not done'}: ${o.text}` };
    if (o.location) {
      item.command = openCommand(o.location);
    }
    return item;
  }
}

/** A command that opens a location of the server's answers. */
function openCommand(location: Location): vscode.Command {
  const { start } = location.range;
  const at = new vscode.Position(start.line, start.character);
  return {
    title: 'Open',
    command: 'vscode.open',
    arguments: [vscode.Uri.parse(location.uri), { selection: new vscode.Range(at, at) }],
  };
}
