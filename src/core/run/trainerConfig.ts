// The config.json the engine writes into a run folder before launching a trainer (the
// contract with dist/trainer.js, also handed to external trainers as ${config}), its
// defaults per recipe, and `key=value` overrides (CLI `--set`, the VS Code quick pick)
// validated field by field.
import { UserError } from '../errors';
import type { BackendChoice, RecipeName } from './types';

export interface TrainingSection {
  /** Optimizer steps; when absent, `epochs` decides. */
  steps?: number;
  epochs?: number;
  batch_size: number;
  learning_rate: number;
  warmup_steps: number;
  weight_decay: number;
  grad_clip: number;
  eval_interval: number;
  checkpoint_interval: number;
  log_interval: number;
}

export interface ModelSection {
  layers: number;
  d_model: number;
  heads: number;
  mlp: number;
  context_length: number;
}

export interface TrainerConfig {
  run_id: string;
  recipe: RecipeName;
  backend: BackendChoice;
  seed: number;
  /** JSONL files in the `tunix_sft` export format, relative to the run folder. */
  data: { train: string; val?: string; test?: string };
  training: TrainingSection;
  model: ModelSection;
  generation: { max_new_tokens: number };
  /** True when relaunched to continue from checkpoints/latest.json. */
  resume: boolean;
  /** How often the trainer must print a heartbeat event. */
  heartbeat_interval_ms: number;
}

/** Top-level keys the built-in trainer accepts beyond the core contract (see trainerProtocol.ts). */
export interface ConfigExtras {
  /** observer_classifier: the metadata key to predict (required for that recipe). */
  label_field?: string;
  /** Accept a software WebGPU adapter (Mesa) when backend is webgpu. */
  allow_software_gpu?: boolean;
  /** Checkpoints kept on disk. */
  keep_checkpoints?: number;
}

/** The tunable part of a config (everything but identity, data and resume). */
export type TunableConfig = Pick<TrainerConfig, 'seed' | 'training' | 'model' | 'generation'> & { extras?: ConfigExtras };

// Defaults that learn on the sample data within minutes on two CPU cores: a ~100k-parameter
// character-level transformer (see ENVIRONMENT.md, "Training a small transformer").
const SFT_DEFAULTS: TunableConfig = {
  seed: 42,
  training: {
    steps: 600,
    batch_size: 32,
    // 6e-3 reached 99 % held-out accuracy on 2-3 digit addition in 600 steps; 3e-3 reached 86.5 %.
    learning_rate: 6e-3,
    warmup_steps: 60,
    weight_decay: 0.01,
    grad_clip: 1.0,
    eval_interval: 100,
    checkpoint_interval: 100,
    log_interval: 10,
  },
  model: { layers: 2, d_model: 64, heads: 4, mlp: 256, context_length: 256 },
  // A worked 3-digit addition is ~130 characters before its "Answer:"; 96 cut every one off.
  generation: { max_new_tokens: 256 },
};

const CLASSIFIER_DEFAULTS: TunableConfig = {
  seed: 42,
  training: { ...SFT_DEFAULTS.training, steps: 300, learning_rate: 1e-2, warmup_steps: 10, eval_interval: 50, checkpoint_interval: 100 },
  model: { ...SFT_DEFAULTS.model },
  generation: { max_new_tokens: 1 },
};

export function defaultTunables(recipe: RecipeName): TunableConfig {
  return structuredClone(recipe === 'observer_classifier' ? CLASSIFIER_DEFAULTS : SFT_DEFAULTS);
}

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 2000;

type FieldType = 'int' | 'number';
interface FieldSpec {
  path: string;
  type: FieldType;
  /** Inclusive lower bound. */
  min: number;
  max?: number;
  optional?: boolean;
  help: string;
}

/** Every field `--set` accepts; the short name (after the dot) works when it is unique. */
export const TUNABLE_FIELDS: readonly FieldSpec[] = [
  { path: 'seed', type: 'int', min: 0, max: 2 ** 31 - 1, help: 'random seed (same seed + backend = same run)' },
  { path: 'training.steps', type: 'int', min: 1, optional: true, help: 'optimizer steps (overrides epochs)' },
  { path: 'training.epochs', type: 'number', min: 0.01, optional: true, help: 'passes over the train split when steps is not set' },
  { path: 'training.batch_size', type: 'int', min: 1, max: 65536, help: 'examples per step' },
  { path: 'training.learning_rate', type: 'number', min: 1e-9, max: 10, help: 'peak learning rate (AdamW)' },
  { path: 'training.warmup_steps', type: 'int', min: 0, help: 'linear warmup before cosine decay' },
  { path: 'training.weight_decay', type: 'number', min: 0, max: 1, help: 'AdamW decoupled weight decay' },
  { path: 'training.grad_clip', type: 'number', min: 0, help: 'global gradient-norm clip (0 = off)' },
  { path: 'training.eval_interval', type: 'int', min: 1, help: 'steps between eval-loss measurements' },
  { path: 'training.checkpoint_interval', type: 'int', min: 1, help: 'steps between checkpoints' },
  { path: 'training.log_interval', type: 'int', min: 1, help: 'steps between metrics lines' },
  { path: 'model.layers', type: 'int', min: 1, max: 64, help: 'transformer blocks' },
  { path: 'model.d_model', type: 'int', min: 4, max: 8192, help: 'model width' },
  { path: 'model.heads', type: 'int', min: 1, max: 128, help: 'attention heads (must divide d_model)' },
  { path: 'model.mlp', type: 'int', min: 4, max: 65536, help: 'feed-forward width' },
  { path: 'model.context_length', type: 'int', min: 8, max: 65536, help: 'tokens per example (longer ones are truncated)' },
  { path: 'generation.max_new_tokens', type: 'int', min: 1, max: 65536, help: 'tokens generated per test item' },
];

/** `--set` keys that are not numbers in a section: written at the top level of config.json. */
export const EXTRA_FIELDS: Readonly<Record<keyof ConfigExtras, { type: 'string' | 'boolean' | 'int'; help: string }>> = {
  label_field: { type: 'string', help: 'observer_classifier: the metadata key to predict, e.g. answer_correct' },
  allow_software_gpu: { type: 'boolean', help: 'accept a software WebGPU adapter (slow; for testing)' },
  keep_checkpoints: { type: 'int', help: 'checkpoints kept on disk (1-1000)' },
};

function parseExtra(key: keyof ConfigExtras, raw: string): string | boolean | number {
  const spec = EXTRA_FIELDS[key];
  const text = raw.trim();
  if (spec.type === 'string') {
    if (!text) throw new UserError(`${key} must not be empty (${spec.help}).`);
    return text;
  }
  if (spec.type === 'boolean') {
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw new UserError(`${key} must be true or false (${spec.help}), got "${raw}".`);
  }
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UserError(`${key} must be a whole number from 1 to 1000 (${spec.help}), got "${raw}".`);
  return n;
}

function findField(key: string): FieldSpec {
  const exact = TUNABLE_FIELDS.find((f) => f.path === key);
  if (exact) return exact;
  const byShort = TUNABLE_FIELDS.filter((f) => f.path.split('.').at(-1) === key);
  if (byShort.length === 1) return byShort[0];
  throw new UserError(
    `Unknown setting "${key}". Settable keys: ${[...TUNABLE_FIELDS.map((f) => f.path), ...Object.keys(EXTRA_FIELDS)].join(', ')} (the part after the dot is enough).`,
  );
}

function parseValue(field: FieldSpec, raw: string): number | undefined {
  const text = raw.trim();
  if (field.optional && (text === '' || text === 'none' || text === 'null')) return undefined;
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) throw new UserError(`${field.path} must be a number (${field.help}), got "${raw}".`);
  if (field.type === 'int' && !Number.isInteger(n)) throw new UserError(`${field.path} must be a whole number (${field.help}), got "${raw}".`);
  if (n < field.min) throw new UserError(`${field.path} must be at least ${field.min} (${field.help}), got ${n}.`);
  if (field.max !== undefined && n > field.max) throw new UserError(`${field.path} must be at most ${field.max} (${field.help}), got ${n}.`);
  return n;
}

/**
 * Applies `key=value` overrides to a copy of `base`. Setting `steps` clears `epochs` and the
 * reverse, so exactly one decides the run length.
 */
export function applyOverrides(base: TunableConfig, overrides: readonly string[]): TunableConfig {
  const out = structuredClone(base) as unknown as Record<string, Record<string, unknown> | number>;
  for (const item of overrides) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`Setting "${item}" is not key=value (for example training.learning_rate=0.001).`);
    const key = item.slice(0, eq).trim();
    if (key in EXTRA_FIELDS) {
      const extras = ((out as unknown as TunableConfig).extras ??= {}) as Record<string, unknown>;
      extras[key] = parseExtra(key as keyof ConfigExtras, item.slice(eq + 1));
      continue;
    }
    const field = findField(key);
    const value = parseValue(field, item.slice(eq + 1));
    const [section, leaf] = field.path.includes('.') ? field.path.split('.') : [undefined, field.path];
    if (section === undefined) {
      if (value !== undefined) out[leaf] = value;
      continue;
    }
    const target = out[section] as Record<string, unknown>;
    if (value === undefined) delete target[leaf];
    else target[leaf] = value;
    if (section === 'training' && leaf === 'steps' && value !== undefined) delete target.epochs;
    if (section === 'training' && leaf === 'epochs' && value !== undefined) delete target.steps;
  }
  const result = out as unknown as TunableConfig;
  checkConsistency(result);
  return result;
}

/** Cross-field rules a single range check cannot see. */
export function checkConsistency(c: TunableConfig): void {
  if (c.model.d_model % c.model.heads !== 0) {
    throw new UserError(`model.heads (${c.model.heads}) must divide model.d_model (${c.model.d_model}); for example d_model=${c.model.heads * Math.max(1, Math.round(c.model.d_model / c.model.heads))}.`);
  }
  if (c.training.steps === undefined && c.training.epochs === undefined) {
    throw new UserError('Set training.steps or training.epochs so the run has a length.');
  }
}

export interface BuildConfigInput {
  runId: string;
  recipe: RecipeName;
  backend: BackendChoice;
  tunables: TunableConfig;
  data: TrainerConfig['data'];
  resume?: boolean;
  heartbeatIntervalMs?: number;
}

export function buildTrainerConfig(input: BuildConfigInput): TrainerConfig & ConfigExtras {
  checkConsistency(input.tunables);
  return {
    ...(input.tunables.extras ?? {}),
    run_id: input.runId,
    recipe: input.recipe,
    backend: input.backend,
    seed: input.tunables.seed,
    data: input.data,
    training: { ...input.tunables.training },
    model: { ...input.tunables.model },
    generation: { ...input.tunables.generation },
    resume: input.resume ?? false,
    heartbeat_interval_ms: input.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
  };
}

/** The step count a config implies, when it says (epochs need the dataset size). */
export function plannedSteps(config: Pick<TrainerConfig, 'training'>): number | undefined {
  return config.training.steps;
}
