import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildDataset } from '../../../src/core/dataset/build';
import { datasetTraces, exportDataset } from '../../../src/core/dataset/export';
import { EXPORT_FORMATS } from '../../../src/core/dataset/formats';
import { CancelledError } from '../../../src/core/dataset/jsonlFile';
import { generateTraces } from '../../../src/core/generate';
import { deleteTraces, getTrace } from '../../../src/core/store';
import { fromExportFormat } from '../../../src/core/import/exportFormats';
import { freshDb, insert, type TestDb } from './fixtures';

describe('dataset export', () => {
  let t: TestDb;
  before(async () => {
    t = await freshDb();
    await insert(t.store, [...generateTraces({ task: 'mixed', count: 300, seed: 2 })]);
    await buildDataset(t.store, { name: 'ex', version: 'v1', databasePath: t.db, seed: 1 });
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const read = (file: string): any[] => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

  for (const format of EXPORT_FORMATS) {
    it(`${format}: one line per trace of the split, in manifest order`, async () => {
      const out = path.join(t.dir, `test.${format}.jsonl`);
      const r = await exportDataset(t.store, { key: 'ex-v1', format, split: 'test', out });
      const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(t.db), 'datasets', 'ex-v1', 'manifest.json'), 'utf8'));
      const ids: string[] = manifest.splits.trace_ids.test;
      assert.equal(r.written, ids.length);
      assert.deepEqual(r.missing, []);
      const lines = read(out);
      const lineIds = lines.map((l) => (format === 'training_example' ? l.metadata.source_trace_id : l.id));
      assert.deepEqual(lineIds, ids);
      if (format !== 'eval_items') {
        // Our importer reads every export format back to the same trace content.
        for (const line of lines.slice(0, 20)) {
          const back = fromExportFormat(line)!.value as { prompt: string; final_answer: string; steps: Array<{ content: string }> };
          const id: string = format === 'training_example' ? line.metadata.source_trace_id : line.id;
          const stored = getTrace(t.store, id)!.record;
          assert.equal(back.prompt, stored.prompt);
          assert.equal(back.final_answer, stored.final_answer);
          assert.deepEqual(back.steps.map((s) => s.content), stored.steps.map((s) => s.content));
        }
      } else {
        const stored = getTrace(t.store, lines[0].id)!.record;
        assert.deepEqual(lines[0], { id: lines[0].id, prompt: stored.prompt, expected_answer: stored.final_answer, category: stored.meta!.category, difficulty: stored.meta!.difficulty });
      }
    });
  }

  it('the whole dataset without --split; re-exporting gives the same bytes (training_example ids included)', async () => {
    const a = path.join(t.dir, 'all-a.jsonl');
    const b = path.join(t.dir, 'all-b.jsonl');
    const progress: number[] = [];
    const r = await exportDataset(t.store, { key: 'ex-v1', format: 'training_example', out: a, onProgress: (p) => progress.push(p.written) });
    await exportDataset(t.store, { key: 'ex-v1', format: 'training_example', out: b });
    assert.equal(r.written, 300);
    assert.ok(progress.length >= 1 && progress.at(-1) === 300);
    assert.ok(fs.readFileSync(a).equals(fs.readFileSync(b)));
  });

  it('datasetTraces reads a split in manifest order without writing a file', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(t.db), 'datasets', 'ex-v1', 'manifest.json'), 'utf8'));
    const seen: string[] = [];
    for await (const item of datasetTraces(t.store, 'ex-v1', 'val')) {
      assert.equal(item.split, 'val');
      assert.equal(item.record.prompt, getTrace(t.store, item.id)!.record.prompt);
      seen.push(item.id);
    }
    assert.deepEqual(seen, manifest.splits.trace_ids.val);
    await assert.rejects(async () => {
      for await (const _ of datasetTraces(t.store, 'ex-v1', 'dev')) void _;
    }, /has no split "dev"/);
  });

  it('an unknown split or dataset is a clear error', async () => {
    await assert.rejects(exportDataset(t.store, { key: 'ex-v1', format: 'trace', split: 'dev', out: path.join(t.dir, 'x') }), /has no split "dev". Its splits: train, val, test/);
    await assert.rejects(exportDataset(t.store, { key: 'nope', format: 'trace', out: path.join(t.dir, 'x') }), /No dataset "nope".*ex-v1/);
  });

  it('cancelling leaves no file behind and keeps an earlier file as it was', async () => {
    const out = path.join(t.dir, 'cancel.jsonl');
    fs.writeFileSync(out, 'earlier\n');
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(exportDataset(t.store, { key: 'ex-v1', format: 'trace', out, signal: ac.signal }), CancelledError);
    assert.equal(fs.readFileSync(out, 'utf8'), 'earlier\n');
    assert.deepEqual(fs.readdirSync(t.dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('traces deleted after the build are skipped and reported, never silently dropped', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(t.db), 'datasets', 'ex-v1', 'manifest.json'), 'utf8'));
    const gone = manifest.splits.trace_ids.train.slice(0, 4);
    await deleteTraces(t.store, gone);
    const out = path.join(t.dir, 'after-delete.jsonl');
    const r = await exportDataset(t.store, { key: 'ex-v1', format: 'trace', split: 'train', out });
    assert.deepEqual(r.missing, gone);
    assert.equal(r.written, manifest.splits.counts.train - 4);
    assert.equal(r.total, manifest.splits.counts.train);
    assert.ok(read(out).every((l) => !gone.includes(l.id)));
  });
});
