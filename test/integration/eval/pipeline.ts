// Builds a real evaluation scenario with the `tunix-rt` CLI as child processes (what a user or
// CI runs): generated addition traces, imported, a dataset with a test split, and training
// runs by the external column-adder trainer (test/e2e/eval/columnAdder.mjs) with and without
// carrying. Shared by the integration and e2e tests of evaluation.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Pipeline {
  db: string;
  datasetKey: string;
  /** Learned to carry: gets every item right. */
  carryRun: string;
  /** Never carries: right only on items without a carry. */
  noCarryRun: string;
}

function repoRootFrom(dir: string): string {
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found');
    dir = up;
  }
  return dir;
}

export const repoRoot = repoRootFrom(__dirname);
export const columnAdder = path.join(repoRoot, 'test', 'e2e', 'eval', 'columnAdder.mjs');

/** Node itself (in the extension host process.execPath may be Electron: run it as Node). */
export function tunixCli(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tunixJson<T = any>(args: string[], cwd: string): T {
  const r = tunixCli(args, cwd);
  if (r.code !== 0) throw new Error(`tunix-rt ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export function externalRun(db: string, datasetKey: string, name: string, carry: boolean, cwd: string): string {
  const argv = ['train', '--db', db, '--dataset', datasetKey, '--recipe', 'external', '--name', name, '--json', '--', 'node', columnAdder, '${train}', '${test}', '${output_dir}', ...(carry ? [] : ['--no-carry'])];
  const run = tunixJson<{ run_id: string; status: string }>(argv, cwd);
  if (run.status !== 'completed') throw new Error(`the ${name} run ended ${run.status}`);
  return run.run_id;
}

/** Generates, imports and builds (`count` addition traces, seed fixed), then trains the two external runs. */
export function buildPipeline(db: string, count = 120): Pipeline {
  const cwd = path.dirname(db);
  fs.mkdirSync(cwd, { recursive: true });
  const traces = path.join(cwd, 'addition.jsonl');
  tunixCli(['generate', 'addition', '--count', String(count), '--seed', '7', '--out', traces], cwd);
  tunixJson(['import', traces, '--db', db, '--json'], cwd);
  const built = tunixJson<{ dataset_key: string }>(['dataset', 'build', '--db', db, '--name', 'addition', '--version', '1', '--split', 'train=0.6,val=0.1,test=0.3', '--json'], cwd);
  const datasetKey = built.dataset_key;
  return {
    db,
    datasetKey,
    carryRun: externalRun(db, datasetKey, 'column adder', true, cwd),
    noCarryRun: externalRun(db, datasetKey, 'column adder (no carry)', false, cwd),
  };
}
