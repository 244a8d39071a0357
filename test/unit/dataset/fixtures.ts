// A real store in a temporary folder, filled through the store's own insert path.
import * as path from 'node:path';
import { insertTraces, openStore, prepareTrace, type Store } from '../../../src/core/store';
import type { TraceRecord } from '../../../src/core/trace/types';
import { tempDir } from '../helpers';

export interface TestDb {
  store: Store;
  db: string;
  dir: string;
}

/** Opens a fresh database; closed after the test file. */
export async function freshDb(): Promise<TestDb> {
  const dir = tempDir('tunix-dataset-');
  const db = path.join(dir, '.tunix', 'tunix.db');
  const store = await openStore(db, { purpose: 'dataset tests' });
  after(() => store.close());
  return { store, db, dir };
}

/** Inserts records in order (each its own import time, one second apart, so "latest" is well defined). */
export async function insert(store: Store, records: TraceRecord[], start = Date.UTC(2025, 0, 1)): Promise<string[]> {
  const prepared = records.map((r) => prepareTrace(r));
  await store.write((tx) => {
    prepared.forEach((p, k) => insertTraces(tx, [p], new Date(start + k * 1000).toISOString()));
  });
  return prepared.map((p) => p.id);
}

export function trace(prompt: string, meta: Record<string, unknown> | null = null, steps = ['think', 'done'], answer = 'x'): TraceRecord {
  return { trace_version: '1.0', prompt, final_answer: answer, steps: steps.map((content, i) => ({ i, type: 'step', content })), meta };
}
