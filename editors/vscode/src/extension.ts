// Activation: finds and starts primer-ls, registers the commands, the outcomes view and the
// status bar item, and follows changes of the `primer.*` settings.

import * as fs from 'fs';
import * as vscode from 'vscode';
import { type LanguageClient, State } from 'vscode-languageclient/node';

import { bundledPath, findServer } from './binary';
import { createClient, currentSettings, LensCommand, sendSettings } from './client';
import { openCohortView } from './cohort_view';
import { insertChecklist, openSection, showCoverage } from './commands';
import { changeEffect } from './config';
import { OutcomesView } from './outcomes';
import { errorText } from './progress';

/** Owns the language client: finds the binary, starts, stops and restarts it. */
class Server implements vscode.Disposable {
  client: LanguageClient | undefined;
  /** Called after each successful start. */
  onStarted: () => void = () => {};
  /** Called when the server stops: `why` is set when that is a failure, not a stop we asked for. */
  onStopped: (why?: string) => void = () => {};
  /** Called on `primer/outcomesChanged`. */
  onOutcomesChanged: () => void = () => {};

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly traceOutput: vscode.OutputChannel,
  ) {}

  /** Starts and stops run one at a time, in the order asked, so two clients never overlap. */
  private queue: Promise<unknown> = Promise.resolve();

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Starts the server; on failure, says why and what to do. Returns whether it runs. */
  start(): Promise<boolean> {
    return this.serially(() => this.doStart());
  }

  async stop(): Promise<void> {
    return this.serially(() => this.doStop());
  }

  restart(): Promise<boolean> {
    return this.serially(async () => {
      await this.doStop();
      return this.doStart();
    });
  }

  private async doStart(): Promise<boolean> {
    makeBundledExecutable(this.context.extensionPath);
    const settings = currentSettings();
    const lookup = findServer({
      setting: settings.serverPath,
      extensionDir: this.context.extensionPath,
      workspaceDir: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      pathEnv: process.env.PATH,
    });
    if (!lookup.found) {
      this.output.appendLine(`[primer] ${lookup.message}`);
      this.output.appendLine(`[primer] looked for: ${lookup.tried.join(', ') || '(nothing)'}`);
      this.onStopped(lookup.message);
      void this.complain(lookup.message);
      return false;
    }
    this.output.appendLine(`[primer] starting ${lookup.path} (found via ${describeSource(lookup.source)})`);
    let started = false;
    const client = createClient(lookup.path, this.output, this.traceOutput, {
      started: () => started,
      outcomesChanged: () => {
        if (this.client === client) {
          this.onOutcomesChanged();
        }
      },
    });
    this.client = client;
    // After the first start, the client may stop and start again by itself (a crash and a
    // restart): the outcome views follow.
    client.onDidChangeState(e => {
      if (!started || this.client !== client) {
        return;
      }
      if (e.newState === State.Running) {
        this.onStarted();
      } else if (e.newState === State.Stopped) {
        this.onStopped('primer-ls stopped unexpectedly; the Primer output has its last words.');
      }
    });
    try {
      await client.start();
      // start() can resolve although the server closed the connection during initialize
      // (vscode-languageclient logs "couldn't create connection" and carries on): check.
      if (!client.isRunning() || !client.initializeResult) {
        throw new Error('the server closed the connection before answering initialize');
      }
      started = true;
    } catch (err) {
      this.client = undefined;
      const message =
        `primer-ls (${lookup.path}) did not start (${errorText(err)}). ` +
        'Check that it is a primer-ls binary for this machine, or point primer.server.path at one.';
      this.output.appendLine(`[primer] ${message}`);
      // Tell the user first: disposing a client whose start failed can hang, so it is given
      // three seconds and not waited on longer.
      this.onStopped(message);
      void this.complain(message);
      const gaveUp = new Promise<void>(resolve => setTimeout(resolve, 3000));
      await Promise.race([client.dispose(2000).catch(() => {}), gaveUp]);
      return false;
    }
    const info = client.initializeResult?.serverInfo;
    this.output.appendLine(`[primer] running ${info?.name ?? 'primer-ls'} ${info?.version ?? ''}`.trimEnd());
    this.onStarted();
    return true;
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.onStopped();
    if (client) {
      await client.dispose(2000).catch(err => this.output.appendLine(`[primer] stopping: ${errorText(err)}`));
    }
  }

  /**
   * The running client (once a start in progress has finished), or undefined after telling the
   * user how to start one.
   */
  async running(): Promise<LanguageClient | undefined> {
    await this.queue;
    if (this.client && this.client.isRunning()) {
      return this.client;
    }
    void this.complain('primer-ls is not running. Check the Primer output, then run "Primer: Restart Server".');
    return undefined;
  }

  private async complain(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output', 'Restart Server');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'primer.server.path');
    } else if (choice === 'Show Output') {
      this.output.show(true);
    } else if (choice === 'Restart Server') {
      await vscode.commands.executeCommand('primer.restartServer');
    }
  }

  dispose(): void {
    void this.stop();
  }
}

function describeSource(source: string): string {
  switch (source) {
    case 'setting':
      return 'the primer.server.path setting';
    case 'bundled':
      return 'the binary bundled with the extension';
    default:
      return 'PATH';
  }
}

/** A .vsix may lose the executable bit of the bundled binary; give it back. */
function makeBundledExecutable(extensionDir: string): void {
  if (process.platform === 'win32') {
    return;
  }
  const p = bundledPath(extensionDir);
  try {
    const mode = fs.statSync(p).mode;
    if ((mode & 0o111) === 0) {
      fs.chmodSync(p, mode | 0o755);
    }
  } catch {
    // No bundled binary: the lookup moves on to PATH.
  }
}

let server: Server | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Primer');
  const traceOutput = vscode.window.createOutputChannel('Primer Trace');
  server = new Server(context, output, traceOutput);
  const srv = server;
  const outcomes = new OutcomesView(() => srv.client);
  // "✓ primer-ls restarted" in the status bar, taken away as soon as the server stops again.
  let restarted: vscode.Disposable | undefined;
  srv.onStarted = () => void outcomes.reset();
  srv.onStopped = why => {
    restarted?.dispose();
    if (why) {
      outcomes.stopped(why);
    } else {
      void outcomes.reset();
    }
  };
  srv.onOutcomesChanged = () => outcomes.changedOnServer();
  context.subscriptions.push(output, traceOutput, srv, outcomes);

  const command = (id: string, fn: (...args: any[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  command('primer.openSection', async () => {
    const client = await srv.running();
    if (client) {
      await openSection(client);
    }
  });
  command(LensCommand.outcomes, async () => {
    if (await srv.running()) {
      await outcomes.show();
    }
  });
  command('primer.refreshOutcomes', () => outcomes.refresh());
  command('primer.insertOutcomeChecklist', async () => {
    const client = await srv.running();
    if (client) {
      await insertChecklist(client);
    }
  });
  command(LensCommand.coverage, async (uri?: string) => {
    const client = await srv.running();
    if (client) {
      await showCoverage(client, typeof uri === 'string' ? uri : undefined);
    }
  });
  command('primer.openCohortView', async (dir?: unknown) => {
    const lookup = findServer({
      setting: currentSettings().serverPath,
      extensionDir: context.extensionPath,
      workspaceDir: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      pathEnv: process.env.PATH,
    });
    if (!lookup.found) {
      void vscode.window.showErrorMessage(lookup.message);
      return;
    }
    await openCohortView(lookup.path, currentSettings().primerPath, output, typeof dir === 'string' ? dir : undefined);
  });
  command('primer.restartServer', async () => {
    if (await srv.restart()) {
      restarted?.dispose();
      restarted = vscode.window.setStatusBarMessage('$(check) primer-ls restarted', 3000);
    }
  });

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async e => {
      const effect = changeEffect(key => e.affectsConfiguration(`primer.${key}`));
      if (effect === 'restart') {
        output.appendLine('[primer] primer.server.path changed: restarting');
        await srv.restart();
      } else if (effect === 'reconfigure' && srv.client?.isRunning()) {
        await sendSettings(srv.client).catch(err => output.appendLine(`[primer] settings: ${errorText(err)}`));
        outcomes.schedule(500);
      }
    }),
  );

  await vscode.commands.executeCommand('setContext', 'primer.active', true);
  void srv.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
