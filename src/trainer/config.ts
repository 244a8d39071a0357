// Reads and checks <runDir>/config.json. Every problem is collected and reported at once with
// the field, what was wrong and what would be accepted; missing optional fields take the
// engine's defaults (src/core/run/trainerConfig.ts), so engine and trainer agree on them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { confinedJoin } from '../core/env/paths';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, TUNABLE_FIELDS, defaultTunables } from '../core/run/trainerConfig';
import { BACKEND_CHOICES, BUILTIN_RECIPES, type BackendChoice, type BuiltinRecipe } from '../core/run/types';
import { configError, dataError } from './errors';
import { ALLOW_SOFTWARE_GPU_ENV, TRAINER_FILES, type ClassifierSection, type FullTrainerConfig, type ModelSection, type TrainingSection } from './protocol';

export interface ResolvedClassifier {
  char_ngrams: [number, number];
  word_ngrams: [number, number];
  max_features: number;
  hidden: number;
}

export interface ResolvedConfig extends FullTrainerConfig {
  recipe: BuiltinRecipe;
  backend: BackendChoice;
  training: TrainingSection;
  model: ModelSection;
  generation: { max_new_tokens: number };
  allow_software_gpu: boolean;
  keep_checkpoints: number;
  threads: number | 'auto';
  classifier: ResolvedClassifier;
  /** Absolute paths of the data files (checked to exist). */
  files: { train: string; val?: string; test?: string };
  runDir: string;
}

const TOP_LEVEL = [
  'run_id', 'recipe', 'backend', 'seed', 'data', 'training', 'model', 'generation', 'resume', 'heartbeat_interval_ms',
  'allow_software_gpu', 'label_field', 'classifier', 'keep_checkpoints', 'threads', 'meta',
] as const;
const SECTIONS = ['training', 'model', 'generation'] as const;
const DATA_KEYS = ['train', 'val', 'test'] as const;
const CLASSIFIER_KEYS = ['char_ngrams', 'word_ngrams', 'max_features', 'hidden'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => JSON.stringify(v) ?? String(v);

/** Reads config.json from `runDir`; throws a TrainerError (kind config or data) naming every problem. */
export function loadConfig(runDir: string, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const dir = path.resolve(runDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw configError(`Run folder "${dir}" does not exist. Usage: node dist/trainer.js <runDir> (a folder holding config.json).`);
  }
  const file = path.join(dir, TRAINER_FILES.config);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw configError(`${file} not found. The run engine writes config.json into the run folder before starting the trainer.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw configError(`${file} is not valid JSON (${(err as Error).message}). Fix the file or start the run again.`);
  }
  return resolveConfig(raw, dir, env, file);
}

/** Checks a parsed config object; exported for tests and for callers that hold the object. */
export function resolveConfig(raw: unknown, runDir: string, env: NodeJS.ProcessEnv = process.env, where = 'config.json'): ResolvedConfig {
  const problems: string[] = [];
  if (!isObject(raw)) throw configError(`${where} must hold a JSON object, got ${show(raw)}.`);
  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL as readonly string[]).includes(key)) problems.push(`unknown key "${key}" (known keys: ${TOP_LEVEL.join(', ')})`);
  }
  const runId = raw.run_id;
  if (typeof runId !== 'string' || !runId.trim()) problems.push(`run_id must be a non-empty string, got ${show(runId)}`);
  const recipe = raw.recipe;
  if (!(BUILTIN_RECIPES as readonly unknown[]).includes(recipe)) problems.push(`recipe must be one of ${BUILTIN_RECIPES.join(', ')}, got ${show(recipe)}`);
  const backend = raw.backend ?? 'auto';
  if (!(BACKEND_CHOICES as readonly unknown[]).includes(backend)) problems.push(`backend must be one of ${BACKEND_CHOICES.join(', ')}, got ${show(backend)}`);
  const defaults = defaultTunables((BUILTIN_RECIPES as readonly unknown[]).includes(recipe) ? (recipe as BuiltinRecipe) : 'sft_transformer');

  const seed = raw.seed ?? defaults.seed;
  if (!Number.isSafeInteger(seed) || (seed as number) < 0) problems.push(`seed must be a whole number >= 0, got ${show(seed)}`);

  const sections: Record<string, Record<string, number | undefined>> = {
    training: { ...defaults.training } as unknown as Record<string, number | undefined>,
    model: { ...defaults.model } as unknown as Record<string, number | undefined>,
    generation: { ...defaults.generation },
  };
  for (const name of SECTIONS) {
    const value = raw[name];
    if (value === undefined) continue;
    if (!isObject(value)) {
      problems.push(`${name} must be an object, got ${show(value)}`);
      continue;
    }
    const fields = TUNABLE_FIELDS.filter((f) => f.path.startsWith(`${name}.`));
    if (name === 'training' && ('steps' in value || 'epochs' in value)) {
      // The run length comes from the config as a whole: a given one replaces the default pair.
      delete sections.training.steps;
      delete sections.training.epochs;
    }
    for (const [key, v] of Object.entries(value)) {
      const spec = fields.find((f) => f.path === `${name}.${key}`);
      if (!spec) {
        problems.push(`unknown key "${name}.${key}" (known: ${fields.map((f) => f.path).join(', ')})`);
        continue;
      }
      if (v === null && spec.optional) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        problems.push(`${spec.path} must be a number (${spec.help}), got ${show(v)}`);
        continue;
      }
      if (spec.type === 'int' && !Number.isInteger(v)) problems.push(`${spec.path} must be a whole number (${spec.help}), got ${v}`);
      else if (v < spec.min) problems.push(`${spec.path} must be at least ${spec.min} (${spec.help}), got ${v}`);
      else if (spec.max !== undefined && v > spec.max) problems.push(`${spec.path} must be at most ${spec.max} (${spec.help}), got ${v}`);
      else sections[name][key] = v;
    }
  }
  const training = sections.training as unknown as TrainingSection;
  const model = sections.model as unknown as ModelSection;
  if (training.steps === undefined && training.epochs === undefined) problems.push('set training.steps or training.epochs so the run has a length');
  if (model.d_model % model.heads !== 0) {
    problems.push(`model.heads (${model.heads}) must divide model.d_model (${model.d_model}), e.g. d_model=${model.heads * Math.max(1, Math.round(model.d_model / model.heads))}`);
  }

  const resume = raw.resume ?? false;
  if (typeof resume !== 'boolean') problems.push(`resume must be true or false, got ${show(resume)}`);
  const heartbeat = raw.heartbeat_interval_ms ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  if (!Number.isInteger(heartbeat) || (heartbeat as number) < 100 || (heartbeat as number) > 600_000) {
    problems.push(`heartbeat_interval_ms must be a whole number of milliseconds from 100 to 600000, got ${show(heartbeat)}`);
  }
  const allowSoftware = raw.allow_software_gpu ?? false;
  if (typeof allowSoftware !== 'boolean') problems.push(`allow_software_gpu must be true or false, got ${show(allowSoftware)}`);
  const keep = raw.keep_checkpoints ?? 3;
  if (!Number.isInteger(keep) || (keep as number) < 1 || (keep as number) > 1000) problems.push(`keep_checkpoints must be a whole number from 1 to 1000, got ${show(keep)}`);
  const threads = raw.threads ?? 'auto';
  if (threads !== 'auto' && (!Number.isInteger(threads) || (threads as number) < 1 || (threads as number) > 64)) {
    problems.push(`threads must be "auto" or a whole number from 1 to 64, got ${show(threads)}`);
  }
  if (raw.meta !== undefined && !isObject(raw.meta)) problems.push(`meta must be an object when given, got ${show(raw.meta)}`);

  const labelField = raw.label_field;
  if (labelField !== undefined && (typeof labelField !== 'string' || !labelField.trim())) problems.push(`label_field must be a non-empty string (a metadata key such as "answer_correct"), got ${show(labelField)}`);
  if (recipe === 'observer_classifier' && labelField === undefined) {
    problems.push('label_field is required for the observer_classifier recipe: the metadata key to predict, e.g. "answer_correct" or "category"');
  }
  const classifier = resolveClassifier(raw.classifier, problems);

  const files: ResolvedConfig['files'] = { train: '' };
  const data = raw.data;
  if (!isObject(data)) {
    problems.push(`data must be an object like {"train": "data/train.jsonl", "val": ..., "test": ...}, got ${show(data)}`);
  } else {
    for (const key of Object.keys(data)) {
      if (!(DATA_KEYS as readonly string[]).includes(key)) problems.push(`unknown key "data.${key}" (known: ${DATA_KEYS.join(', ')})`);
    }
    for (const key of DATA_KEYS) {
      const rel = data[key];
      if (rel === undefined || (rel === null && key !== 'train')) continue;
      if (typeof rel !== 'string' || !rel.trim()) {
        problems.push(`data.${key} must be a path relative to the run folder, got ${show(rel)}`);
        continue;
      }
      try {
        files[key] = confinedJoin(runDir, rel);
      } catch {
        problems.push(`data.${key} "${rel}" points outside the run folder; give a path inside it (e.g. data/${key}.jsonl)`);
      }
    }
    if (data.train === undefined) problems.push('data.train is required: the JSONL file (tunix_sft format) to train on');
  }

  if (problems.length) {
    throw configError(`${where} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems.join('; ')}.`);
  }
  for (const key of DATA_KEYS) {
    const file = files[key];
    if (file && !fs.existsSync(file)) throw dataError(`data.${key} file not found: ${file}. Export the dataset split into the run folder first.`);
  }

  return {
    ...(raw as unknown as FullTrainerConfig),
    run_id: runId as string,
    recipe: recipe as BuiltinRecipe,
    backend: backend as BackendChoice,
    seed: seed as number,
    training,
    model,
    generation: sections.generation as { max_new_tokens: number },
    resume: resume as boolean,
    heartbeat_interval_ms: heartbeat as number,
    allow_software_gpu: (allowSoftware as boolean) || env[ALLOW_SOFTWARE_GPU_ENV] === '1',
    keep_checkpoints: keep as number,
    threads: threads as number | 'auto',
    classifier,
    files,
    runDir,
  };
}

function resolveClassifier(value: unknown, problems: string[]): ResolvedClassifier {
  const out: ResolvedClassifier = { char_ngrams: [2, 4], word_ngrams: [1, 2], max_features: 4096, hidden: 0 };
  if (value === undefined) return out;
  if (!isObject(value)) {
    problems.push(`classifier must be an object, got ${show(value)}`);
    return out;
  }
  const c = value as ClassifierSection & Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!(CLASSIFIER_KEYS as readonly string[]).includes(key)) problems.push(`unknown key "classifier.${key}" (known: ${CLASSIFIER_KEYS.join(', ')})`);
  }
  for (const key of ['char_ngrams', 'word_ngrams'] as const) {
    const range = c[key];
    if (range === undefined) continue;
    const ok = Array.isArray(range) && range.length === 2 && range.every((n) => Number.isInteger(n) && n >= 0 && n <= 8) && range[0] <= range[1];
    if (!ok) problems.push(`classifier.${key} must be [min, max] with 0 <= min <= max <= 8 (0 turns them off), got ${show(range)}`);
    else out[key] = [range[0], range[1]];
  }
  if (c.max_features !== undefined) {
    if (!Number.isInteger(c.max_features) || c.max_features < 1 || c.max_features > 1_000_000) problems.push(`classifier.max_features must be a whole number from 1 to 1000000, got ${show(c.max_features)}`);
    else out.max_features = c.max_features;
  }
  if (c.hidden !== undefined) {
    if (!Number.isInteger(c.hidden) || c.hidden < 0 || c.hidden > 65536) problems.push(`classifier.hidden must be a whole number from 0 (logistic regression) to 65536, got ${show(c.hidden)}`);
    else out.hidden = c.hidden;
  }
  if (out.char_ngrams[1] === 0 && out.word_ngrams[1] === 0) problems.push('classifier: char_ngrams and word_ngrams cannot both be off');
  return out;
}
