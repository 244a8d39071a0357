// Real runs for evaluation tests: a run record in a real store (the run engine's own
// upsertRun) and a run folder with what a finished trainer leaves there: config.json, the
// tunix_sft test split under data/, predictions.jsonl and metrics.jsonl.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore, type Store } from '../../../src/core/store';
import { upsertRun } from '../../../src/core/run/runStore';
import { runDirFor, runsRootFor, writeJsonAtomic } from '../../../src/core/run/runFolder';
import { buildTrainerConfig, defaultTunables } from '../../../src/core/run/trainerConfig';
import type { RunRecord } from '../../../src/core/run/types';

export interface TestItem {
  id: string;
  prompt: string;
  answer: string;
  category?: string;
}

/** Addition items with categories, as a dataset's test split would hold them. */
export const ITEMS: TestItem[] = Array.from({ length: 20 }, (_, i) => ({
  id: `trace-${String(i).padStart(3, '0')}`,
  prompt: `What is ${i * 7} + ${i * 3}?`,
  answer: String(i * 10),
  category: i % 2 ? 'addition' : 'carry',
}));

export const sft = (it: TestItem) =>
  JSON.stringify({
    id: it.id,
    prompts: `<start_of_turn>user\n${it.prompt}<end_of_turn>\n<start_of_turn>model\nReasoning:\n1. add\nAnswer: ${it.answer}<end_of_turn>`,
    final_answer: it.answer,
    metadata: { created_at: '2025-01-01T00:00:00Z', trace_version: '1.0', format: 'tunix_sft', ...(it.category ? { category: it.category } : {}) },
  });

export interface MakeRunOptions {
  id: string;
  datasetKey?: string;
  /** Indices of ITEMS the model gets right (others get a wrong answer). */
  right: (i: number) => boolean;
  /** Final eval_loss written to metrics.jsonl. */
  evalLoss?: number;
  status?: RunRecord['status'];
  createdAt?: string;
  learningRate?: number;
}

export async function makeRun(dbPath: string, o: MakeRunOptions): Promise<RunRecord> {
  const runDir = runDirFor(runsRootFor(dbPath), o.id);
  fs.mkdirSync(path.join(runDir, 'data'), { recursive: true });
  const tunables = defaultTunables('sft_transformer');
  if (o.learningRate !== undefined) tunables.training.learning_rate = o.learningRate;
  const config = buildTrainerConfig({ runId: o.id, recipe: 'sft_transformer', backend: 'wasm', tunables, data: { train: 'data/train.jsonl', test: 'data/test.jsonl' } });
  writeJsonAtomic(path.join(runDir, 'config.json'), config);
  fs.writeFileSync(path.join(runDir, 'data', 'test.jsonl'), ITEMS.map(sft).join('\n') + '\n');
  fs.writeFileSync(
    path.join(runDir, 'predictions.jsonl'),
    ITEMS.map((it, i) => JSON.stringify({ id: it.id, prediction: `Reasoning:\n1. add\nAnswer: ${o.right(i) ? it.answer : Number(it.answer) + 1}` })).join('\n') + '\n',
  );
  const metrics = [0, 50, 100].map((step) => JSON.stringify({ step, loss: 2 - step / 100, learning_rate: 0.003, timestamp: 1_700_000_000 + step }));
  if (o.evalLoss !== undefined) metrics.push(JSON.stringify({ step: 100, eval_loss: o.evalLoss, timestamp: 1_700_000_200 }));
  fs.writeFileSync(path.join(runDir, 'metrics.jsonl'), metrics.join('\n') + '\n');
  const record: RunRecord = {
    id: o.id,
    name: `sft_transformer on ${o.datasetKey ?? 'addition-v1'}`,
    datasetKey: o.datasetKey ?? 'addition-v1',
    recipe: 'sft_transformer',
    backend: 'wasm',
    seed: 42,
    config,
    status: o.status ?? 'completed',
    runDir,
    createdAt: o.createdAt ?? new Date().toISOString(),
    attempts: 1,
  };
  const store = await openStore(dbPath);
  try {
    await store.write((tx) => upsertRun(tx, record));
  } finally {
    await store.close();
  }
  return record;
}

export async function withStore<T>(dbPath: string, fn: (s: Store) => Promise<T> | T): Promise<T> {
  const store = await openStore(dbPath);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
