// "Start Training Run...": pick a dataset, a recipe (or an external command), then review the
// key hyperparameters (working defaults, each editable) and start. The run itself is decided
// and validated by core (RunEngine.submit); this file only asks.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { SubmitRequest } from '../../core/run/engine';
import type { BackendChoice, RecipeName } from '../../core/run/types';
import type { StoreService } from '../platform/storeService';
import { readRunSettings } from './engineService';

interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

/** The hyperparameters offered for editing, in order, with how to ask for each. */
const KEY_SETTINGS: Array<{ key: string; label: string; prompt: string; recipes?: RecipeName[] }> = [
  { key: 'training.steps', label: 'Steps', prompt: 'Optimizer steps' },
  { key: 'training.learning_rate', label: 'Learning rate', prompt: 'Peak learning rate (AdamW, warmup then cosine decay)' },
  { key: 'training.batch_size', label: 'Batch size', prompt: 'Examples per step' },
  { key: 'model.layers', label: 'Layers', prompt: 'Transformer blocks', recipes: ['sft_transformer'] },
  { key: 'model.d_model', label: 'Width (d_model)', prompt: 'Model width (a multiple of the head count)', recipes: ['sft_transformer'] },
  { key: 'model.heads', label: 'Attention heads', prompt: 'Attention heads (must divide the width)', recipes: ['sft_transformer'] },
  { key: 'model.context_length', label: 'Context length', prompt: 'Tokens per example (longer ones are truncated)', recipes: ['sft_transformer'] },
  { key: 'training.eval_interval', label: 'Eval every', prompt: 'Steps between eval-loss measurements' },
  { key: 'training.checkpoint_interval', label: 'Checkpoint every', prompt: 'Steps between checkpoints (resume starts from the latest)' },
  { key: 'seed', label: 'Seed', prompt: 'Random seed (the same seed on the same backend repeats a run)' },
];

export async function pickDataset(stores: StoreService, preselected?: string, title = 'Start Training Run (1/3): dataset'): Promise<string | undefined> {
  if (preselected) return preselected;
  if (!stores.exists()) throw new UserError('No datasets yet: the trace database does not exist. Import or generate traces, then build a dataset (Tunix: Build Dataset…).');
  const store = await stores.open();
  const { listDatasets } = await import('../../core/dataset/repository');
  const list = listDatasets(store);
  if (!list.length) throw new UserError('No datasets yet. Build one first (Tunix: Build Dataset…).');
  const pick = await vscode.window.showQuickPick(
    list.map((d) => ({
      label: d.dataset_key,
      description: `${d.trace_count.toLocaleString('en-US')} traces`,
      detail: Object.entries(d.splits).map(([k, n]) => `${k} ${n}`).join(', '),
      value: d.dataset_key,
    })),
    { title, placeHolder: 'Which dataset to train on?', ignoreFocusOut: true },
  );
  return pick?.value;
}

async function pickRecipe(): Promise<RecipeName | undefined> {
  const items: Array<Choice<RecipeName>> = [
    { label: '$(hubot) sft_transformer', description: 'built-in', detail: 'A small decoder-only transformer fine-tuned (SFT) on the traces, prompt tokens masked; greedy predictions on the test split.', value: 'sft_transformer' },
    { label: '$(symbol-class) observer_classifier', description: 'built-in', detail: 'A bag-of-n-grams classifier that predicts a metadata field of each trace (e.g. whether its answer is wrong).', value: 'observer_classifier' },
    {
      label: '$(terminal) External command',
      description: vscode.workspace.isTrusted ? 'your own trainer' : 'needs a trusted workspace',
      detail: 'Any program (a JAX/Tunix, PyTorch or Hugging Face script) with placeholders for the exported data and the output folder.',
      value: 'external',
    },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Start Training Run (2/3): recipe', placeHolder: 'How to train?', ignoreFocusOut: true });
  return pick?.value;
}

async function askCommand(configured: string[]): Promise<string[] | undefined> {
  if (!vscode.workspace.isTrusted) {
    throw new UserError('External trainer commands run only in a trusted workspace. Trust this workspace (Manage Workspace Trust) or pick a built-in recipe.');
  }
  const { splitCommandLine, PLACEHOLDERS } = await import('../../core/run/externalCommand');
  const quote = (a: string) => (/[\s"']/.test(a) ? JSON.stringify(a) : a);
  const text = await vscode.window.showInputBox({
    title: 'External trainer command',
    prompt: `Program and arguments, run without a shell. Placeholders: ${Object.keys(PLACEHOLDERS).map((k) => `\${${k}}`).join(' ')}. Metrics are read from \${output_dir}/metrics.jsonl or trainer_state.json.`,
    value: configured.length ? configured.map(quote).join(' ') : 'python3 train.py --train ${train} --val ${val} --output_dir ${output_dir} --config ${config}',
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        return splitCommandLine(v).length ? undefined : 'Enter the program to run.';
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  return text === undefined ? undefined : splitCommandLine(text);
}

/** Review and edit hyperparameters; resolves to the `key=value` overrides, or undefined when dismissed. */
async function reviewSettings(recipe: Exclude<RecipeName, 'external'>, initialBackend: BackendChoice): Promise<{ overrides: string[]; backend: BackendChoice } | undefined> {
  const { applyOverrides, defaultTunables } = await import('../../core/run/trainerConfig');
  const defaults = defaultTunables(recipe);
  const overrides = new Map<string, string>();
  let backend = initialBackend;
  if (recipe === 'observer_classifier') {
    const label = await vscode.window.showInputBox({
      title: 'Observer classifier: label field',
      prompt: 'The metadata key whose value the classifier predicts (a key of the traces\' meta, e.g. answer_correct or category)',
      value: 'category',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a metadata key.'),
    });
    if (label === undefined) return undefined;
    overrides.set('label_field', label.trim());
  }
  const current = () => applyOverrides(defaults, [...overrides].map(([k, v]) => `${k}=${v}`));
  for (;;) {
    const c = current() as unknown as Record<string, Record<string, unknown> | number>;
    const valueOf = (key: string) => {
      const [a, b] = key.split('.');
      const v = b === undefined ? c[a] : (c[a] as Record<string, unknown>)[b];
      return v === undefined ? '—' : String(v);
    };
    type Item = vscode.QuickPickItem & { action: 'start' | 'backend' | 'edit'; key?: string };
    const items: Item[] = [
      { label: '$(play) Start training', detail: 'with the settings below', action: 'start', alwaysShow: true },
      { label: '', kind: vscode.QuickPickItemKind.Separator, action: 'edit' },
      { label: 'Backend', description: backend, detail: 'auto picks the best available: CUDA, WebGPU, native CPU, WebAssembly, then plain JavaScript', action: 'backend' },
      ...KEY_SETTINGS.filter((s) => !s.recipes || s.recipes.includes(recipe)).map((s) => ({
        label: s.label,
        description: valueOf(s.key) + (overrides.has(s.key) ? ' (changed)' : ''),
        detail: s.prompt,
        action: 'edit' as const,
        key: s.key,
      })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Start Training Run (3/3): settings', placeHolder: 'Start with these settings, or pick one to change it', ignoreFocusOut: true });
    if (!pick) return undefined;
    if (pick.action === 'start') return { overrides: [...overrides].map(([k, v]) => `${k}=${v}`), backend };
    if (pick.action === 'backend') {
      const choices: BackendChoice[] = ['auto', 'gpu', 'webgpu', 'native', 'wasm', 'cpu'];
      const b = await vscode.window.showQuickPick(choices.map((x) => ({ label: x, picked: x === backend })), { title: 'Backend', ignoreFocusOut: true });
      if (b) backend = b.label as BackendChoice;
      continue;
    }
    const spec = KEY_SETTINGS.find((s) => s.key === pick.key)!;
    const value = await vscode.window.showInputBox({
      title: spec.label,
      prompt: spec.prompt,
      value: valueOf(spec.key),
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          applyOverrides(defaults, [...[...overrides].filter(([k]) => k !== spec.key).map(([k, x]) => `${k}=${x}`), `${spec.key}=${v}`]);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (value !== undefined) overrides.set(spec.key, value.trim());
  }
}

/** Asks everything a run needs; undefined when the user dismissed a step. */
export async function askStartRun(stores: StoreService, datasetKey?: string): Promise<SubmitRequest | undefined> {
  const dataset = await pickDataset(stores, datasetKey);
  if (!dataset) return undefined;
  const recipe = await pickRecipe();
  if (!recipe) return undefined;
  const settings = readRunSettings();
  if (recipe === 'external') {
    const command = await askCommand(settings.externalCommand);
    if (!command) return undefined;
    return { datasetKey: dataset, recipe, command };
  }
  const reviewed = await reviewSettings(recipe, (settings.backend as BackendChoice) ?? 'auto');
  if (!reviewed) return undefined;
  return { datasetKey: dataset, recipe, backend: reviewed.backend, overrides: reviewed.overrides };
}
