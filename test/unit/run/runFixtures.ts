// Shared helpers for the run-engine tests: run folders with real data and configs, and the
// real trainer fixtures under test/fixtures/trainers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { buildTrainerConfig, defaultTunables, type TrainerConfig } from '../../../src/core/run/trainerConfig';

export const fixturesDir = path.join(repoRoot, 'test', 'fixtures', 'trainers');
export const launcherPath = path.join(repoRoot, 'dist', 'launcher.js');
export const fixture = (name: string) => path.join(fixturesDir, name);

/** tunix_sft lines for "a + b" problems (the Gemma template the dataset exporter writes). */
export function additionLines(count: number, seed: number): string[] {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = Math.floor(rand() * 900) + 10;
    const b = Math.floor(rand() * 900) + 10;
    const prompts = `<start_of_turn>user\nWhat is ${a} + ${b}?<end_of_turn>\n<start_of_turn>model\nReasoning:\n1. add\nAnswer: ${a + b}<end_of_turn>`;
    lines.push(JSON.stringify({ id: `t${seed}-${i}`, prompts, final_answer: String(a + b), metadata: { format: 'tunix_sft' } }));
  }
  return lines;
}

/** A run folder with data/{train,val,test}.jsonl and a config.json for `recipe`. */
export function makeRunDir(root: string, runId: string, overrides: Partial<TrainerConfig['training']> = {}, extra: Partial<TrainerConfig> = {}): string {
  const runDir = path.join(root, runId);
  fs.mkdirSync(path.join(runDir, 'data'), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'data', 'train.jsonl'), additionLines(64, 1).join('\n') + '\n');
  fs.writeFileSync(path.join(runDir, 'data', 'val.jsonl'), additionLines(16, 2).join('\n') + '\n');
  fs.writeFileSync(path.join(runDir, 'data', 'test.jsonl'), additionLines(8, 3).join('\n') + '\n');
  const tunables = defaultTunables('sft_transformer');
  tunables.training = { ...tunables.training, steps: 60, log_interval: 5, eval_interval: 20, checkpoint_interval: 20, ...overrides };
  const config = buildTrainerConfig({
    runId,
    recipe: 'sft_transformer',
    backend: 'cpu',
    tunables,
    data: { train: 'data/train.jsonl', val: 'data/val.jsonl', test: 'data/test.jsonl' },
    heartbeatIntervalMs: 200,
  });
  fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify({ ...config, ...extra }, null, 2));
  return runDir;
}

/** True while `pid` exists (signal 0 probes without signalling). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'; // a zombie has ended
  } catch {
    return false;
  }
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
