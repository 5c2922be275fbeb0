// Starting the language client: the server process, the options sent to it, the `primer`
// configuration section it asks for, and the code lens commands it offers, which are bound to
// the extension's own views instead of being sent back to the server.

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
  type Middleware,
  RevealOutputChannelOn,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

import { initializationOptions, readSettings, serverSettings, type Settings } from './config';
import { ServerCommand } from './lsp_ext';
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

/**
 * Creates (does not start) the client for the server binary at `serverPath`; `started` says
 * whether the first start has succeeded.
 */
export function createClient(
  serverPath: string,
  output: vscode.OutputChannel,
  traceOutput: vscode.OutputChannel,
  started: () => boolean,
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
    errorHandler: errorHandler(started),
    // A failed initialize is reported by the caller; no second message.
    initializationFailedHandler: () => false,
  };
  return new LanguageClient(CLIENT_ID, 'Primer', serverOptions, clientOptions);
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
