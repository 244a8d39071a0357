// The vocabulary of training runs shared by the engine, the CLI, the extension and the
// webviews: statuses, the run record kept in the store, and live progress.
import type { TrainerConfig } from './trainerConfig';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The built-in recipes of dist/trainer.js; `external` is any command the user configures. */
export const BUILTIN_RECIPES = ['sft_transformer', 'observer_classifier'] as const;
export type BuiltinRecipe = (typeof BUILTIN_RECIPES)[number];
export type RecipeName = BuiltinRecipe | 'external';

export const BACKEND_CHOICES = ['auto', 'gpu', 'webgpu', 'native', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** What the trainer reported about where it runs (its `started` event or environment.json). */
export interface RunEnvironment {
  backend?: string;
  device?: string;
  versions?: Record<string, string>;
  [key: string]: unknown;
}

/** Why a run ended the way it did, kept with the record so it shows without opening files. */
export interface RunOutcome {
  status: Exclude<RunStatus, 'queued' | 'running'>;
  /** One sentence a user can act on ("ran out of memory (JavaScript heap)", "no heartbeat for 60 s"). */
  reason?: string;
  /** The kind of failure, for filtering and tests. */
  kind?: FailureKind;
  exitCode?: number | null;
  signal?: string | null;
  /** The last lines of the run's log, so the failure reads without opening the log. */
  lastLogLines?: string[];
}

export type FailureKind =
  | 'exit-code' // non-zero exit
  | 'signal' // killed by a signal we did not send
  | 'oom' // out of memory (heap, host or device)
  | 'hang' // no heartbeat for too long; the engine killed it
  | 'spawn' // the command could not start
  | 'trainer-error' // the trainer reported an error event and exited
  | 'bad-config'; // exit 2: the trainer refused its config or data

/** A run as the store keeps it. Paths are absolute. */
export interface RunRecord {
  id: string;
  /** A short label for views ("sft_transformer on addition@3"). */
  name: string;
  datasetKey: string;
  recipe: RecipeName;
  /** For external trainers: the argument array before placeholders are filled. */
  command?: string[];
  /** Requested backend (external trainers: "external"). */
  backend: BackendChoice | 'external';
  seed: number;
  config: TrainerConfig;
  status: RunStatus;
  runDir: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  /** The launcher process (group leader) while running, with its start time to tell pid reuse apart. */
  pid?: number;
  processStartToken?: string;
  /** How many times the process was launched (1 + resumes). */
  attempts: number;
  outcome?: RunOutcome;
  environment?: RunEnvironment;
  /** Progress as last seen, so views show it before any file is read. */
  progress?: RunProgress;
  /**
   * The engine process that queued the run and will launch it (a VS Code window, a CLI).
   * Another engine adopts a queued run only when this process is gone.
   */
  owner?: { pid: number; startToken?: string };
}

export interface RunProgress {
  step?: number;
  totalSteps?: number;
  loss?: number;
  evalLoss?: number;
  etaSeconds?: number;
  /** Wall time of the last sign of life (event, log line or metric), ms since epoch. */
  lastActivityMs?: number;
  resumedFromStep?: number;
}

export function isTerminal(status: RunStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'interrupted';
}

export function isActive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}
