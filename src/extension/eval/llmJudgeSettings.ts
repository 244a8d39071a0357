// The LLM judge's settings: URL and model in the configuration, the API key in VS Code's
// SecretStorage (encrypted by the OS keychain where there is one; never in settings.json).
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { LlmJudgeOptions } from '../../core/eval/judges/llmJudge';
import type { ExtensionContextServices } from '../services';

export const LLM_KEY_SECRET = 'tunix.eval.llmJudge.apiKey';

export async function llmJudgeOptions(s: ExtensionContextServices): Promise<LlmJudgeOptions> {
  const config = vscode.workspace.getConfiguration('tunix.eval.llmJudge');
  const url = config.get<string>('url', '').trim();
  const model = config.get<string>('model', '').trim();
  if (!url || !model) {
    const open = 'Open Settings';
    void vscode.window.showErrorMessage('The LLM judge needs an endpoint URL and a model: set "tunix.eval.llmJudge.url" and "tunix.eval.llmJudge.model".', open).then((a) => {
      if (a === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'tunix.eval.llmJudge');
    });
    throw new vscode.CancellationError();
  }
  const apiKey = (await s.context.secrets.get(LLM_KEY_SECRET)) ?? '';
  return { url, model, apiKey };
}

export async function setLlmJudgeApiKey(s: ExtensionContextServices): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: 'LLM Judge API Key',
    prompt: 'The key sent as "Authorization: Bearer ..." to the LLM judge endpoint. Stored in VS Code\'s secret storage. Leave empty to remove it.',
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim() === '') {
    await s.context.secrets.delete(LLM_KEY_SECRET);
    void vscode.window.showInformationMessage('Removed the LLM judge API key.');
  } else {
    if (/\s/.test(key.trim())) throw new UserError('An API key has no spaces; paste just the key.');
    await s.context.secrets.store(LLM_KEY_SECRET, key.trim());
    void vscode.window.showInformationMessage('Stored the LLM judge API key in VS Code\'s secret storage.');
  }
}
