// Runs the built trainer (dist/trainer.js) as a real child process and collects its events.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';

export interface TrainerEventLine {
  event: string;
  [key: string]: any;
}

export interface TrainerRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  events: TrainerEventLine[];
  /** Milliseconds since start at which each event arrived. */
  arrivals: number[];
  /** stdout lines that were not JSON (must stay empty: stdout is for events only). */
  strayStdout: string[];
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Called for each event; return 'SIGTERM' to send that signal to the trainer. */
  onEvent?: (e: TrainerEventLine) => 'SIGTERM' | void;
  timeoutMs?: number;
}

export const trainerPath = path.join(repoRoot, 'dist', 'trainer.js');

export function runTrainer(args: string[], opts: RunOptions = {}): Promise<TrainerRun> {
  if (!fs.existsSync(trainerPath)) throw new Error(`${trainerPath} is missing: run \`node esbuild.mjs\` first`);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [trainerPath, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const events: TrainerEventLine[] = [];
    const arrivals: number[] = [];
    const strayStdout: string[] = [];
    let stderr = '';
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`trainer did not finish within ${opts.timeoutMs} ms; stderr:\n${stderr}`));
    }, opts.timeoutMs ?? 90_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.trim()) continue;
        let e: TrainerEventLine | undefined;
        try {
          e = JSON.parse(line);
        } catch {
          strayStdout.push(line);
          continue;
        }
        events.push(e!);
        arrivals.push(Date.now() - started);
        if (opts.onEvent?.(e!) === 'SIGTERM') child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (buffer.trim()) strayStdout.push(buffer);
      resolve({ code, signal, events, arrivals, strayStdout, stderr });
    });
  });
}

export function readJsonLines(file: string): any[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** A model small enough that a few dozen steps take seconds on one core. */
export const TINY_MODEL = { layers: 1, d_model: 32, heads: 2, mlp: 64, context_length: 160 };

export function tinyTraining(overrides: Record<string, number> = {}) {
  return {
    steps: 40,
    batch_size: 16,
    learning_rate: 0.01,
    warmup_steps: 5,
    weight_decay: 0.01,
    grad_clip: 1,
    eval_interval: 20,
    checkpoint_interval: 20,
    log_interval: 5,
    ...overrides,
  };
}
