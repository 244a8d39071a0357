// The LLM judge's settings: URL and model in the configuration, API keys in VS Code's
// SecretStorage (encrypted by the OS keychain where there is one; never in settings.json).
// A key belongs to the endpoint origin it was entered for: a URL that points elsewhere (a
// workspace's settings, a typo) asks for that origin's own key and never receives another's.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { endpointOrigin, type LlmJudgeOptions } from '../../core/eval/judges/llmJudge';
import type { ExtensionContextServices } from '../platform/services';

/** SecretStorage entry: a JSON object from endpoint origin to key ('' = that endpoint needs none). */
export const LLM_KEYS_SECRET = 'tunix.eval.llmJudge.apiKeys';
/** The single key of earlier versions, entered for no particular origin. */
export const LEGACY_KEY_SECRET = 'tunix.eval.llmJudge.apiKey';

type KeyMap = Record<string, string>;

async function readKeys(s: ExtensionContextServices): Promise<KeyMap> {
  const text = await s.context.secrets.get(LLM_KEYS_SECRET);
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as KeyMap) : {};
  } catch {
    return {};
  }
}

async function writeKeys(s: ExtensionContextServices, keys: KeyMap): Promise<void> {
  await s.context.secrets.store(LLM_KEYS_SECRET, JSON.stringify(keys));
}

/** The key stored for `origin`: a string ('' = none needed), or undefined when never entered. */
export async function keyForOrigin(s: ExtensionContextServices, origin: string): Promise<string | undefined> {
  const keys = await readKeys(s);
  return Object.hasOwn(keys, origin) ? keys[origin] : undefined;
}

export async function setKeyForOrigin(s: ExtensionContextServices, origin: string, key: string | undefined): Promise<void> {
  const keys = await readKeys(s);
  if (key === undefined) delete keys[origin];
  else keys[origin] = key;
  await writeKeys(s, keys);
}

/**
 * A setting read the way trust allows: in an untrusted workspace only the user's own value
 * (VS Code already hides workspace values of restricted settings; this does not rely on it).
 */
function judgeSetting(key: 'url' | 'model'): { value: string; where: string } {
  const info = vscode.workspace.getConfiguration('tunix.eval.llmJudge').inspect<string>(key);
  const layers: Array<[string, string | undefined]> = vscode.workspace.isTrusted
    ? [
        ['the workspace folder settings', info?.workspaceFolderValue],
        ['the workspace settings', info?.workspaceValue],
        ['your user settings', info?.globalValue],
      ]
    : [['your user settings', info?.globalValue]];
  for (const [where, v] of layers) if (typeof v === 'string' && v.trim()) return { value: v.trim(), where };
  return { value: '', where: 'no settings' };
}

/** The key of earlier versions goes to the origin of the URL in the user's own settings, or away. */
async function migrateLegacyKey(s: ExtensionContextServices): Promise<void> {
  const legacy = await s.context.secrets.get(LEGACY_KEY_SECRET);
  if (legacy === undefined) return;
  const userUrl = vscode.workspace.getConfiguration('tunix.eval.llmJudge').inspect<string>('url')?.globalValue?.trim();
  let origin: string | undefined;
  try {
    origin = userUrl ? endpointOrigin(userUrl) : undefined;
  } catch {
    origin = undefined;
  }
  if (origin && (await keyForOrigin(s, origin)) === undefined) await setKeyForOrigin(s, origin, legacy);
  await s.context.secrets.delete(LEGACY_KEY_SECRET);
  s.log.info(origin ? `LLM judge: the stored API key now belongs to ${origin} (the endpoint in your user settings).` : 'LLM judge: removed an API key stored for no endpoint; enter it again when asked.');
}

/** Asks for the key of `origin`; undefined when dismissed. */
async function askKey(s: ExtensionContextServices, origin: string, why: string, empty: string): Promise<string | undefined> {
  const key = await s.prompts.secret({
    title: `LLM Judge API Key for ${origin}`,
    prompt: `${why} It is sent only to ${origin}, as "Authorization: Bearer ...", and kept in VS Code's secret storage. ${empty}`,
    validateInput: (v) => (/\s/.test(v.trim()) ? 'An API key has no spaces; paste just the key.' : undefined),
  });
  if (key === undefined) return undefined;
  if (/\s/.test(key.trim())) throw new UserError('An API key has no spaces; paste just the key.');
  return key.trim();
}

export interface ResolvedLlmJudge extends LlmJudgeOptions {
  /** The origin the key belongs to and every request goes to. */
  origin: string;
}

export async function llmJudgeOptions(s: ExtensionContextServices): Promise<ResolvedLlmJudge> {
  const url = judgeSetting('url');
  const model = judgeSetting('model');
  if (!url.value || !model.value) {
    const open = 'Open Settings';
    void vscode.window.showErrorMessage('The LLM judge needs an endpoint URL and a model: set "tunix.eval.llmJudge.url" and "tunix.eval.llmJudge.model" in your user settings.', open).then((a) => {
      if (a === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'tunix.eval.llmJudge');
    });
    throw new vscode.CancellationError();
  }
  const origin = endpointOrigin(url.value);
  await migrateLegacyKey(s);
  let apiKey = await keyForOrigin(s, origin);
  if (apiKey === undefined) {
    apiKey = await askKey(s, origin, `No key is stored for ${origin}, the LLM judge endpoint named in ${url.where}.`, 'Leave empty for an endpoint that needs no key.');
    if (apiKey === undefined) throw new vscode.CancellationError();
    await setKeyForOrigin(s, origin, apiKey);
  }
  return { url: url.value, model: model.value, apiKey: apiKey || undefined, origin };
}

export async function setLlmJudgeApiKey(s: ExtensionContextServices): Promise<void> {
  const url = judgeSetting('url');
  if (!url.value) {
    throw new UserError('Set the LLM judge endpoint first ("tunix.eval.llmJudge.url" in your user settings): a key is stored for the endpoint it is sent to.');
  }
  const origin = endpointOrigin(url.value);
  await migrateLegacyKey(s);
  const had = (await keyForOrigin(s, origin)) !== undefined;
  const key = await askKey(s, origin, `The key for the LLM judge endpoint named in ${url.where}.${had ? ' Replaces the stored one.' : ''}`, 'Leave empty to remove it.');
  if (key === undefined) return;
  if (key === '') {
    await setKeyForOrigin(s, origin, undefined);
    void vscode.window.showInformationMessage(`Removed the LLM judge API key for ${origin}.`);
  } else {
    await setKeyForOrigin(s, origin, key);
    void vscode.window.showInformationMessage(`Stored the LLM judge API key for ${origin} in VS Code's secret storage; it is sent only there.`);
  }
}
