import * as vscode from 'vscode';

/** The "Tunix RT" log output channel; users pick its level from the channel's gear menu. */
export function createLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  const log = vscode.window.createOutputChannel('Tunix RT', { log: true });
  context.subscriptions.push(log);
  return log;
}
