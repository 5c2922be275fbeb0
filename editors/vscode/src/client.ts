// Starting the language client: the server process, the options sent to it, the `primer`
// configuration section it asks for, the code lens commands it offers (bound to the extension's
// own views instead of being sent back to the server), the server's questions and its
// `primer/outcomesChanged` notification.

import * as vscode from 'vscode';
import {
  CloseAction,
  type ConfigurationParams,
  ErrorAction,
  type ErrorHandler,
  ExecuteCommandRequest,
  type Executable,
  LanguageClient,
  type LanguageClientOptions,
  type MessageActionItem,
  MessageType,
  type Middleware,
  RevealOutputChannelOn,
  type ServerOptions,
  ShowMessageRequest,
  type ShowMessageRequestParams,
  TransportKind,
} from 'vscode-languageclient/node';

import { initializationOptions, readSettings, serverSettings, type Settings } from './config';
import { OutcomesChangedNotification, ServerCommand } from './lsp_ext';
import { RestartPolicy } from './restarts';

/** The client id: vscode-languageclient reads `primer.trace.server` because of it. */
export const CLIENT_ID = 'primer';

/** Client-side commands that the server's code lenses are bound to. */
export const LensCommand = {
  outcomes: 'primer.showOutcomes',
  coverage: 'primer.showCoverage',
} as const;

/** The extension's settings for a scope (the first workspace folder when none is given). */
export function currentSettings(scope?: vscode.ConfigurationScope): Settings {
  const cfg = vscode.workspace.getConfiguration('primer', scope ?? vscode.workspace.workspaceFolders?.[0]);
  return readSettings(key => cfg.get(key));
}

/** Rebinds a server code lens command to the extension's view for it. */
function rebindLens(lens: vscode.CodeLens, document?: vscode.TextDocument): vscode.CodeLens {
  const command = lens.command;
  if (!command) {
    return lens;
  }
  if (command.command === ServerCommand.outcomes) {
    lens.command = { ...command, command: LensCommand.outcomes, arguments: [] };
  } else if (command.command === ServerCommand.coverage) {
    const uri = document?.uri.toString();
    lens.command = { ...command, command: LensCommand.coverage, arguments: uri ? [uri] : [] };
  }
  return lens;
}

function middleware(): Middleware {
  return {
    workspace: {
      // The server asks for the `primer` section; answer with what it reads, custom semantic
      // token types included (they are contributed in package.json, not a user setting).
      configuration: async (params: ConfigurationParams, token, next) => {
        const others = await next(params, token);
        if (others instanceof Error || !Array.isArray(others)) {
          return others;
        }
        return params.items.map((item, i) => {
          if (item.section !== 'primer') {
            return others[i];
          }
          const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
          return serverSettings(currentSettings(scope));
        });
      },
    },
    provideCodeLenses: async (document, token, next) => {
      const lenses = await next(document, token);
      return lenses?.map(lens => rebindLens(lens, document));
    },
    resolveCodeLens: async (lens, token, next) => {
      const resolved = await next(lens, token);
      return resolved ? rebindLens(resolved) : resolved;
    },
  };
}

/**
 * Errors are logged, not shown: a server that fails to start is reported once, by the caller,
 * and one that stops later is restarted a few times before the user is told.
 */
function errorHandler(started: () => boolean): ErrorHandler {
  const policy = new RestartPolicy();
  return {
    error: (_error, _message, count) => ({
      action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
      handled: true,
    }),
    closed: () => {
      if (!started()) {
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      const decision = policy.crashed();
      return decision.restart
        ? { action: CloseAction.Restart, handled: true }
        : { action: CloseAction.DoNotRestart, message: decision.message };
    },
  };
}

/** A question with more answers than this is a quick pick instead of a row of buttons. */
const MAX_BUTTONS = 3;

/**
 * Answers the server's `window/showMessageRequest`. A question with many answers ("Insert the
 * learning outcomes of which section?", one per section) is a quick pick: a notification would
 * show them as a row of buttons. Others are a notification with buttons, as the client does.
 */
async function askUser(params: ShowMessageRequestParams): Promise<MessageActionItem | null> {
  const actions = params.actions ?? [];
  if (actions.length > MAX_BUTTONS) {
    const chosen = await vscode.window.showQuickPick(
      actions.map(action => ({ label: action.title, action })),
      { title: params.message, placeHolder: 'Type to filter, Enter to choose' },
    );
    return chosen?.action ?? null;
  }
  const show =
    params.type === MessageType.Error
      ? vscode.window.showErrorMessage
      : params.type === MessageType.Warning
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  return (await show(params.message, ...actions)) ?? null;
}

/**
 * vscode-languageclient with two of its messages changed. It logs a clean exit of the server
 * (after shutdown and exit, as on every restart) as an error; that is an info line here. And it
 * shows its own notification when a start fails ("couldn't create connection to server"): until
 * the first start has succeeded, failures are only logged, because the extension tells the user
 * once, with what to do.
 */
class PrimerLanguageClient extends LanguageClient {
  constructor(
    serverOptions: ServerOptions,
    clientOptions: LanguageClientOptions,
    private readonly started: () => boolean,
  ) {
    super(CLIENT_ID, 'Primer', serverOptions, clientOptions);
  }

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    if (/^Server process exited with code 0\b/.test(message)) {
      this.info('Server process ended (exit code 0).', undefined, false);
      return;
    }
    super.error(message, data, this.started() ? showNotification : false);
  }
}

/** What the extension wants to hear from a client. */
export interface ClientHooks {
  /** Whether the first start has succeeded. */
  started: () => boolean;
  /** `primer/outcomesChanged`: the workspace-wide outcome counts may have changed. */
  outcomesChanged: () => void;
}

/** Creates (does not start) the client for the server binary at `serverPath`. */
export function createClient(
  serverPath: string,
  output: vscode.OutputChannel,
  traceOutput: vscode.OutputChannel,
  hooks: ClientHooks,
): LanguageClient {
  const run: Executable = { command: serverPath, args: [], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'markdown' }],
    initializationOptions: () => initializationOptions(currentSettings()),
    outputChannel: output,
    traceOutputChannel: traceOutput,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: middleware(),
    errorHandler: errorHandler(hooks.started),
    // A failed initialize is reported by the caller; no second message.
    initializationFailedHandler: () => false,
  };
  const client = new PrimerLanguageClient(serverOptions, clientOptions, hooks.started);
  // Registered before the start, these replace the client's own handlers (and survive restarts).
  client.onRequest(ShowMessageRequest.type, askUser);
  client.onNotification(OutcomesChangedNotification, () => hooks.outcomesChanged());
  return client;
}

/** Sends the current settings to a running server (workspace/didChangeConfiguration). */
export async function sendSettings(client: LanguageClient): Promise<void> {
  await client.sendNotification('workspace/didChangeConfiguration', {
    settings: { primer: serverSettings(currentSettings()) },
  });
}

/** Runs a server command; a failure rejects with the server's ResponseError. */
export function executeCommand<T>(client: LanguageClient, command: string, args: unknown[]): Promise<T> {
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }) as Promise<T>;
}
