// What every feature receives: the context, the log, settings helpers and lazy access to
// core services. Features never talk to each other directly; they go through these.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { resolveDatabasePath } from '../../core/env/paths';
import { isUserError } from '../../core/errors';
import type { CommandId } from './commands';

export interface ActivationStats {
  activationMs: number;
  sinceModuleLoadMs: number;
}

/** The object `activate` returns: used by the integration tests and by other extensions. */
export interface TunixApi {
  activation: ActivationStats;
  /** Names of the heavy modules loaded so far (for the lazy-loading test). */
  loadedHeavyModules(): string[];
  services: ExtensionContextServices;
}

/**
 * The questions whose answer guards something (running a command nobody typed in this window,
 * sending a key to a new endpoint). One place, so each is asked the same way; integration
 * tests answer them by replacing these functions, as a user would click.
 */
export interface Prompts {
  /** A modal warning with one action button; resolves to the action when chosen. */
  confirmModal(message: string, action: string): Thenable<string | undefined>;
  /** A password input box; undefined when dismissed. */
  secret(options: vscode.InputBoxOptions): Thenable<string | undefined>;
}

export interface ExtensionContextServices {
  readonly context: vscode.ExtensionContext;
  readonly prompts: Prompts;
  readonly log: vscode.LogOutputChannel;
  /** Absolute path of the bundled extension's dist folder (the CLI, trainer and wasm live there). */
  readonly distDir: string;
  /** The database file for the current workspace (undefined when no folder is open). */
  databasePath(): string | undefined;
  /**
   * Registers a command whose errors reach the user as a clear message: a UserError shows
   * its text; anything else shows a short message and logs the stack.
   */
  registerCommand(id: CommandId, handler: (...args: any[]) => unknown): void;
  /** Registers a disposable for deactivation. */
  track<T extends vscode.Disposable>(d: T): T;
  /** Called on deactivate, in reverse order of registration. */
  onDispose(fn: () => unknown): void;
  /** Marks a heavy module as loaded (sql.js, workers...), for diagnostics and tests. */
  markHeavyLoaded(name: string): void;
  api(stats: ActivationStats): TunixApi;
  dispose(): Promise<void>;
}

export function createServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ExtensionContextServices {
  const heavy = new Set<string>();
  const disposers: Array<() => unknown> = [];
  const services: ExtensionContextServices = {
    context,
    prompts: {
      confirmModal: (message, action) => vscode.window.showWarningMessage(message, { modal: true }, action),
      secret: (options) => vscode.window.showInputBox({ ...options, password: true, ignoreFocusOut: true }),
    },
    log,
    distDir: path.join(context.extensionPath, 'dist'),
    databasePath() {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) return undefined;
      // In an untrusted workspace VS Code only returns user-level values for restricted
      // settings (see `capabilities.untrustedWorkspaces`), so a workspace cannot redirect it.
      const configured = vscode.workspace.getConfiguration('tunix', folder.uri).get<string>('database.path', '');
      return resolveDatabasePath(folder.uri.fsPath, configured);
    },
    registerCommand(id, handler) {
      context.subscriptions.push(
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
          try {
            return await handler(...args);
          } catch (err) {
            if (isUserError(err)) {
              log.warn(`${id}: ${err.message}`);
              void vscode.window.showErrorMessage(err.message);
            } else if (err instanceof vscode.CancellationError) {
              log.info(`${id}: cancelled`);
            } else {
              log.error(`${id} failed: ${(err as Error).stack ?? err}`);
              void vscode.window.showErrorMessage(`Tunix: ${(err as Error).message ?? err}`, 'Show Log').then((a) => a && log.show(true));
            }
            return undefined;
          }
        }),
      );
    },
    track(d) {
      context.subscriptions.push(d);
      return d;
    },
    onDispose(fn) {
      disposers.push(fn);
    },
    markHeavyLoaded(name) {
      if (!heavy.has(name)) log.debug(`Loaded ${name}`);
      heavy.add(name);
    },
    api(stats) {
      return { activation: stats, loadedHeavyModules: () => [...heavy], services };
    },
    async dispose() {
      for (const fn of disposers.reverse()) {
        try {
          await fn();
        } catch (err) {
          log.error(`Error while shutting down: ${(err as Error).message}`);
        }
      }
    },
  };
  return services;
}
