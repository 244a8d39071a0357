// Checkpoints: checkpoints/step-<N>/ holds the weights, the optimizer moments, the training
// state (step, epoch, sampler position, elapsed time) and the files needed to rebuild the
// model (tokenizer, model config). A checkpoint is written into a temporary folder and renamed
// into place, then checkpoints/latest.json is replaced the same way: a reader never sees half
// a checkpoint, and a crash mid-write leaves the previous one as the latest.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { confinedJoin } from '../../core/env/paths';
import { TRAINER_FILES, type CheckpointPointer } from '../protocol';
import { readTensors, writeDurable, writeTensors, type HostTensor } from './tensorFile';

export const CHECKPOINT_FORMAT = 'tunix-checkpoint';

export interface CheckpointState {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  recipe: string;
  step: number;
  total_steps: number;
  epoch: number;
  /** Training seconds so far, over all attempts. */
  elapsed_seconds: number;
  /** Batches are a pure function of (seed, step): this is the whole sampler state. */
  rng: { seed: number; sampler: 'epoch-shuffle'; next_example_position: number };
  timestamp: string;
}

export interface CheckpointContent {
  state: CheckpointState;
  weights: Map<string, HostTensor>;
  optimizer: Map<string, HostTensor>;
  /** Extra JSON files (tokenizer.json, model.json, ...), by file name. */
  files: Record<string, unknown>;
}

export interface LoadedCheckpoint extends CheckpointContent {
  dir: string;
}

const STEP_DIR = /^step-(\d+)$/;
const REQUIRED = ['state.json', 'weights.json', 'weights.bin', 'optimizer.json', 'optimizer.bin'];

export function checkpointsDir(runDir: string): string {
  return path.join(runDir, TRAINER_FILES.checkpoints);
}

/** Saves a checkpoint and points latest.json at it; returns its path relative to the run folder. */
export function saveCheckpoint(runDir: string, content: CheckpointContent, keep: number): string {
  const root = checkpointsDir(runDir);
  fs.mkdirSync(root, { recursive: true });
  const name = `step-${content.state.step}`;
  const tmp = path.join(root, `.tmp-${name}-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  writeTensors(tmp, 'weights', content.weights);
  writeTensors(tmp, 'optimizer', content.optimizer);
  for (const [file, value] of Object.entries(content.files)) writeDurable(path.join(tmp, file), JSON.stringify(value, null, 1) + '\n');
  // state.json last: its presence marks the folder complete even before the rename.
  writeDurable(path.join(tmp, 'state.json'), JSON.stringify(content.state, null, 2) + '\n');
  const final = path.join(root, name);
  fs.rmSync(final, { recursive: true, force: true });
  fs.renameSync(tmp, final);
  const relative = `${TRAINER_FILES.checkpoints}/${name}`;
  const pointer: CheckpointPointer = { step: content.state.step, path: relative, timestamp: new Date().toISOString() };
  const latest = path.join(root, TRAINER_FILES.latestCheckpoint);
  const latestTmp = `${latest}.${process.pid}.tmp`;
  writeDurable(latestTmp, JSON.stringify(pointer, null, 2) + '\n');
  fs.renameSync(latestTmp, latest);
  prune(root, keep, content.state.step);
  return relative;
}

/** Deletes all but the newest `keep` checkpoints (never the one just written) and stale temporaries. */
function prune(root: string, keep: number, current: number): void {
  const steps: number[] = [];
  for (const entry of fs.readdirSync(root)) {
    const m = STEP_DIR.exec(entry);
    if (m) steps.push(Number(m[1]));
    else if (entry.startsWith('.tmp-') && !entry.endsWith(`-${process.pid}`)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
  }
  steps.sort((a, b) => b - a);
  for (const step of steps.slice(keep)) if (step !== current) fs.rmSync(path.join(root, `step-${step}`), { recursive: true, force: true });
}

function isComplete(dir: string): boolean {
  return REQUIRED.every((f) => fs.existsSync(path.join(dir, f)));
}

function readCheckpoint(dir: string): LoadedCheckpoint {
  const state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as CheckpointState;
  if (state.format !== CHECKPOINT_FORMAT || state.version !== 1 || !Number.isInteger(state.step)) {
    throw new Error(`${dir}/state.json is not a ${CHECKPOINT_FORMAT} v1 state`);
  }
  const files: Record<string, unknown> = {};
  for (const entry of fs.readdirSync(dir)) {
    if (entry.endsWith('.json') && !['state.json', 'weights.json', 'optimizer.json'].includes(entry)) {
      files[entry] = JSON.parse(fs.readFileSync(path.join(dir, entry), 'utf8'));
    }
  }
  return { dir, state, weights: readTensors(dir, 'weights'), optimizer: readTensors(dir, 'optimizer'), files };
}

/**
 * The checkpoint latest.json points at; if that is missing or damaged, the newest complete
 * step-<N> folder. Undefined when there is none. `onWarning` hears about damaged ones skipped.
 */
export function loadLatestCheckpoint(runDir: string, onWarning: (message: string) => void = () => {}): LoadedCheckpoint | undefined {
  const root = checkpointsDir(runDir);
  if (!fs.existsSync(root)) return undefined;
  const tried = new Set<string>();
  try {
    const pointer = JSON.parse(fs.readFileSync(path.join(root, TRAINER_FILES.latestCheckpoint), 'utf8')) as CheckpointPointer;
    const dir = confinedJoin(runDir, pointer.path);
    tried.add(dir);
    if (!isComplete(dir)) onWarning(`latest.json points at ${pointer.path}, which is incomplete; looking for an older checkpoint`);
    else {
      try {
        return readCheckpoint(dir);
      } catch (err) {
        onWarning(`checkpoint ${pointer.path} is damaged (${(err as Error).message}); looking for an older one`);
      }
    }
  } catch (err) {
    if (fs.existsSync(path.join(root, TRAINER_FILES.latestCheckpoint))) onWarning(`checkpoints/latest.json is unreadable (${(err as Error).message}); looking for checkpoints directly`);
  }
  const candidates = fs
    .readdirSync(root)
    .map((e) => STEP_DIR.exec(e))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ step: Number(m[1]), dir: path.join(root, m[0]) }))
    .sort((a, b) => b.step - a.step);
  for (const c of candidates) {
    if (tried.has(c.dir) || !isComplete(c.dir)) continue;
    try {
      return readCheckpoint(c.dir);
    } catch (err) {
      onWarning(`skipping damaged checkpoint ${c.dir}: ${(err as Error).message}`);
    }
  }
  return undefined;
}
