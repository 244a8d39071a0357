// Builds a real RunEngine for tests: a real store (sql.js) in a temporary folder, the real
// launcher, and a trainer command from test/fixtures/trainers. The data preparer writes
// addition problems in the tunix_sft export format into the run folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore, type Store } from '../../../src/core/store/store';
import { RunEngine, type PreparedData, type RunEngineOptions } from '../../../src/core/run/engine';
import { runsRootFor } from '../../../src/core/run/runFolder';
import { additionLines, fixture, launcherPath } from './runFixtures';

export async function writeAdditionData(_datasetKey: string, runDir: string): Promise<PreparedData> {
  const dir = path.join(runDir, 'data');
  fs.mkdirSync(dir, { recursive: true });
  const train = additionLines(64, 1);
  const val = additionLines(16, 2);
  const test = additionLines(8, 3);
  fs.writeFileSync(path.join(dir, 'train.jsonl'), train.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'val.jsonl'), val.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'test.jsonl'), test.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'dataset.jsonl'), [...train, ...val, ...test].join('\n') + '\n');
  return { dataset: 'data/dataset.jsonl', train: 'data/train.jsonl', val: 'data/val.jsonl', test: 'data/test.jsonl' };
}

export interface Harness {
  engine: RunEngine;
  store: Store;
  dbPath: string;
  close(): Promise<void>;
}

export async function openEngine(dbPath: string, options: Partial<RunEngineOptions> & { trainer?: string[] } = {}): Promise<Harness> {
  const store = await openStore(dbPath);
  const engine = new RunEngine({
    store,
    runsRoot: runsRootFor(dbPath),
    prepareData: writeAdditionData,
    launcherPath,
    builtinCommand: options.trainer ?? [process.execPath, fixture('linear_regression.mjs'), '--step-ms=5'],
    maxConcurrent: 2,
    heartbeatTimeoutMs: 20_000,
    heartbeatIntervalMs: 200,
    killGraceMs: 1500,
    trusted: true,
    progressPersistMs: 200,
    ...options,
  });
  await engine.reconcile();
  return {
    engine,
    store,
    dbPath,
    async close() {
      await engine.dispose();
      await store.close();
    },
  };
}
