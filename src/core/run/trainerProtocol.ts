// The files and exit codes of the built-in trainer (dist/trainer.js), beside the config
// (./trainerConfig) and the stdout events (./trainerEvents) it shares with the run engine.
// Types and constants only: the trainer writes these shapes, the engine and views read them.
import type { TrainerConfig } from './trainerConfig';

/** Exit codes of `node dist/trainer.js <runDir>`. */
export const TRAINER_EXIT = {
  ok: 0,
  /** Training started and failed (non-finite loss, out of memory, a backend fault). */
  failed: 1,
  /** Could not start: bad config.json, bad data, or the requested backend is missing. */
  badInput: 2,
  /** Stopped by SIGTERM (128 + 15). */
  terminated: 143,
} as const;

/** The `kind` of an `{event: 'error'}` line. */
export const TRAINER_ERROR_KINDS = ['config', 'data', 'backend', 'oom', 'internal'] as const;
export type TrainerErrorKind = (typeof TRAINER_ERROR_KINDS)[number];

/** Files and folders the trainer writes inside the run folder. */
export const TRAINER_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  predictions: 'predictions.jsonl',
  environment: 'environment.json',
  checkpoints: 'checkpoints',
  /** checkpoints/latest.json: a CheckpointPointer to the newest complete checkpoint. */
  latestCheckpoint: 'latest.json',
  model: 'model',
} as const;

/**
 * Fields the trainer accepts beyond TrainerConfig. All optional; unknown top-level keys are
 * refused (a typo would otherwise be silently ignored), except inside `meta`.
 */
export interface TrainerConfigExtras {
  /** Accept a software WebGPU adapter (Mesa llvmpipe) when backend is 'webgpu'. Also env TUNIX_ALLOW_SOFTWARE_GPU=1. */
  allow_software_gpu?: boolean;
  /** observer_classifier: the `metadata` key whose value is the label (e.g. "answer_correct", "category"). Required for that recipe. */
  label_field?: string;
  /** observer_classifier: features and model shape. */
  classifier?: ClassifierSection;
  /** Checkpoints kept on disk (older ones are deleted); default 3. */
  keep_checkpoints?: number;
  /**
   * Threads for the CPU backends (wasm, cpu): each extra thread computes a share of every batch
   * (data parallel). "auto" (default) = the CPU count, at most 4, when a step is big enough to
   * gain (about 1 GFLOP), else 1. Results are repeatable for a given thread count. GPU and
   * native backends always use 1.
   */
  threads?: number | 'auto';
  /** Free-form notes for the engine or the user; ignored by the trainer. */
  meta?: Record<string, unknown>;
}

export interface ClassifierSection {
  /** Character n-gram lengths, inclusive range; default [2, 4]. */
  char_ngrams?: [number, number];
  /** Word n-gram lengths, inclusive range; default [1, 2]. */
  word_ngrams?: [number, number];
  /** Most frequent n-grams kept as features; default 4096. */
  max_features?: number;
  /** Hidden layer width; 0 = logistic regression (default). */
  hidden?: number;
}

export type FullTrainerConfig = TrainerConfig & TrainerConfigExtras;

/** A line of metrics.jsonl written every `log_interval` steps. */
export interface TrainMetricsLine {
  step: number;
  epoch: number;
  /** Mean training loss over the steps since the previous line. */
  loss: number;
  learning_rate: number;
  /** Global gradient norm before clipping, at this step. */
  grad_norm: number;
  /** Non-padding tokens (SFT) or examples (classifier) processed per second since the previous line. */
  tokens_per_second: number;
  examples_per_second: number;
  /** Seconds of training so far, summed over resumed attempts. */
  elapsed: number;
  memory: { rss: number; tensors: number; bytes: number };
  timestamp: string;
}

/** A line of metrics.jsonl written every `eval_interval` steps (and at the end) when a val split exists. */
export interface EvalMetricsLine {
  step: number;
  epoch: number;
  eval_loss: number;
  /** observer_classifier only: accuracy on the val split. */
  eval_accuracy?: number;
  timestamp: string;
}

/** checkpoints/latest.json. */
export interface CheckpointPointer {
  step: number;
  /** Relative to the run folder, e.g. "checkpoints/step-200". */
  path: string;
  timestamp: string;
}

/** A line of predictions.jsonl. */
export interface PredictionLine {
  id: string;
  /** SFT: the answer text after the last "Answer:"; classifier: the predicted label. */
  prediction: string;
  /** SFT: the whole generated model turn. */
  generation?: string;
  /** classifier: probability per label. */
  probabilities?: Record<string, number>;
  /** The reference from the test split when it has one (final_answer, or the label). */
  expected?: string;
}

/** environment.json. */
export interface TrainerEnvironment {
  backend: 'gpu' | 'webgpu' | 'native' | 'wasm' | 'cpu';
  /** The TensorFlow.js backend name (tensorflow, webgpu, wasm, cpu). */
  tfjs_backend: string;
  device: string;
  /** Adapter or device details (WebGPU adapter info, CPU model, SIMD, ...). */
  device_info: Record<string, unknown>;
  /** Backends tried before this one under `auto`, with why each was skipped. */
  skipped?: Array<{ backend: string; reason: string }>;
  versions: { tfjs: string; node: string; tunix_rt: string; [name: string]: string };
  threads: number;
  platform: string;
  cpus: number;
}
