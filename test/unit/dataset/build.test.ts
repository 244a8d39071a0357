import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildDataset, type BuildOptions } from '../../../src/core/dataset/build';
import { datasetKey, manifestPath } from '../../../src/core/dataset/manifest';
import { deleteDataset, getManifest, listDatasets, missingTraces } from '../../../src/core/dataset/repository';
import { assignSplit, parseSplits } from '../../../src/core/dataset/splits';
import { isUserError } from '../../../src/core/errors';
import { generateTraces } from '../../../src/core/generate';
import { deleteTraces } from '../../../src/core/store';
import { freshDb, insert, trace, type TestDb } from './fixtures';

function opts(t: TestDb, o: Partial<BuildOptions> & { version: string }): BuildOptions {
  return { name: 'ds', databasePath: t.db, ...o };
}

function splitOf(manifest: { splits: { trace_ids: Record<string, string[]> } }): Map<string, string> {
  const m = new Map<string, string>();
  for (const [split, ids] of Object.entries(manifest.splits.trace_ids)) for (const id of ids) m.set(id, split);
  return m;
}

describe('dataset build', () => {
  let t: TestDb;
  let ids: string[];
  before(async () => {
    t = await freshDb();
    ids = await insert(t.store, [...generateTraces({ task: 'mixed', count: 400, seed: 5 })]);
  });

  it('builds name-version with a manifest in the database and in datasets/<key>/manifest.json', async () => {
    const r = await buildDataset(t.store, opts(t, { version: 'v1', now: () => new Date('2025-02-03T04:05:06.000Z'), newBuildId: () => 'build-1' }));
    const m = r.manifest;
    assert.equal(m.dataset_key, 'ds-v1');
    assert.equal(r.manifestPath, path.join(path.dirname(t.db), 'datasets', 'ds-v1', 'manifest.json'));
    assert.deepEqual(JSON.parse(fs.readFileSync(r.manifestPath, 'utf8')), m);
    assert.deepEqual(getManifest(t.store, 'ds-v1'), m);
    // tunix-rt's fields, in its order, then ours.
    assert.deepEqual(Object.keys(m).slice(0, 16), [
      'dataset_key', 'build_id', 'dataset_name', 'dataset_version', 'dataset_schema_version', 'created_at', 'filters', 'selection_strategy',
      'seed', 'trace_ids', 'trace_count', 'stats', 'session_id', 'parent_dataset_id', 'training_run_id', 'provenance',
    ]);
    assert.equal(m.created_at, '2025-02-03T04:05:06.000Z');
    assert.equal(m.build_id, 'build-1');
    assert.equal(m.selection_strategy, 'latest');
    assert.equal(m.trace_count, 400);
    // latest: newest import first.
    assert.deepEqual(m.trace_ids, [...ids].reverse());
    const counts = m.splits.counts;
    assert.equal(counts.train + counts.val + counts.test, 400);
    assert.deepEqual(Object.keys(counts), ['train', 'val', 'test']);
    assert.deepEqual([...splitOf(m).keys()].sort(), [...ids].sort());
    assert.equal(m.stats.trace_count, 400);
    assert.equal(m.stats.by_category.arithmetic, 150);
    assert.ok(m.stats.min_step_count >= 2 && m.stats.max_step_count >= m.stats.min_step_count);
    const hist = m.stats.step_count_histogram;
    assert.equal(Object.values(hist.counts).flat().reduce((a, b) => a + b, 0), 400);
    assert.equal(listDatasets(t.store)[0].dataset_key, 'ds-v1');
  });

  it('two builds with the same seed give identical splits; another seed gives others', async () => {
    const a = (await buildDataset(t.store, opts(t, { version: 'seed-a', seed: 11, selection: 'all' }))).manifest;
    const b = (await buildDataset(t.store, opts(t, { version: 'seed-b', seed: 11, selection: 'all' }))).manifest;
    const c = (await buildDataset(t.store, opts(t, { version: 'seed-c', seed: 12, selection: 'all' }))).manifest;
    assert.deepEqual(a.splits.trace_ids, b.splits.trace_ids);
    assert.deepEqual(a.trace_ids, b.trace_ids);
    assert.notDeepEqual(a.splits.trace_ids, c.splits.trace_ids);
  });

  it('traces added later never move earlier traces to another split', async () => {
    const first = (await buildDataset(t.store, opts(t, { version: 'grow-1', seed: 3, selection: 'all' }))).manifest;
    await insert(t.store, [...generateTraces({ task: 'mixed', count: 300, seed: 77 })], Date.UTC(2025, 5, 1));
    const second = (await buildDataset(t.store, opts(t, { version: 'grow-2', seed: 3, selection: 'all' }))).manifest;
    assert.ok(second.trace_count > first.trace_count);
    const before = splitOf(first);
    const afterward = splitOf(second);
    for (const [id, split] of before) assert.equal(afterward.get(id), split, id);
  });

  it('split sizes follow the ratios (within binomial noise)', () => {
    const spec = parseSplits('train=0.7,val=0.2,test=0.1');
    const n = 20_000;
    const counts: Record<string, number> = { train: 0, val: 0, test: 0 };
    for (let k = 0; k < n; k++) counts[assignSplit(`trace-${k}`, 9, spec)]++;
    for (const r of spec.ratios) {
      const sd = Math.sqrt(n * r.ratio * (1 - r.ratio));
      assert.ok(Math.abs(counts[r.name] - n * r.ratio) < 5 * sd, `${r.name}: ${counts[r.name]}`);
    }
  });

  it('filters on meta: equals, one of, typed values, and a full-text query', async () => {
    const eq = (await buildDataset(t.store, opts(t, { version: 'f1', filters: { task_type: 'addition' } }))).manifest;
    assert.ok(eq.trace_count > 0);
    const tasks = (m: typeof eq) => new Set(Object.keys(m.stats.by_category));
    assert.deepEqual(tasks(eq), new Set(['arithmetic']));
    const oneOf = (await buildDataset(t.store, opts(t, { version: 'f2', filters: { task_type: ['reverse', 'high_card'] } }))).manifest;
    assert.deepEqual(tasks(oneOf), new Set(['string', 'game']));
    // meta.seed is the number 5: the text "5" matches it; "6" matches nothing.
    const typed = (await buildDataset(t.store, opts(t, { version: 'f3', filters: { seed: '5', difficulty: 'hard' } }))).manifest;
    assert.ok(typed.trace_count > 0 && typed.trace_count < 400);
    await assert.rejects(buildDataset(t.store, opts(t, { version: 'f4', filters: { seed: '6' } })), (e: unknown) => isUserError(e) && (e as { exitCode: number }).exitCode === 1 && /No traces match \(seed=6\)/.test((e as Error).message));
    const text = (await buildDataset(t.store, opts(t, { version: 'f5', query: 'Reverse' }))).manifest;
    assert.ok(text.trace_count > 0);
    assert.deepEqual(tasks(text), new Set(['string']));
    assert.equal(text.query, 'Reverse');
  });

  it('selection: latest with a limit, random (seed required, reproducible), all', async () => {
    const latest = (await buildDataset(t.store, opts(t, { version: 's1', limit: 10 }))).manifest;
    assert.equal(latest.trace_count, 10);
    const r1 = (await buildDataset(t.store, opts(t, { version: 's2', selection: 'random', seed: 4, limit: 50 }))).manifest;
    const r2 = (await buildDataset(t.store, opts(t, { version: 's3', selection: 'random', seed: 4, limit: 50 }))).manifest;
    const r3 = (await buildDataset(t.store, opts(t, { version: 's4', selection: 'random', seed: 5, limit: 50 }))).manifest;
    assert.deepEqual(r1.trace_ids, r2.trace_ids);
    assert.notDeepEqual(r1.trace_ids, r3.trace_ids);
    assert.notDeepEqual(r1.trace_ids, (await buildDataset(t.store, opts(t, { version: 's5', limit: 50 }))).manifest.trace_ids);
    await assert.rejects(buildDataset(t.store, opts(t, { version: 's6', selection: 'random' })), /Random selection needs a seed/);
    await assert.rejects(buildDataset(t.store, opts(t, { version: 's7', selection: 'all', limit: 3 })), /--limit does not go with --selection all/);
  });

  it('a built dataset is immutable: the same key is refused unless overwrite, which replaces it whole', async () => {
    const first = await buildDataset(t.store, opts(t, { version: 'imm', limit: 5, newBuildId: () => 'b1' }));
    await assert.rejects(buildDataset(t.store, opts(t, { version: 'imm', limit: 7 })), (e: unknown) => isUserError(e) && /ds-imm already exists.*5 traces.*--overwrite/.test((e as Error).message));
    assert.equal(getManifest(t.store, 'ds-imm').trace_count, 5);
    const second = await buildDataset(t.store, opts(t, { version: 'imm', limit: 7, overwrite: true, newBuildId: () => 'b2' }));
    assert.equal(first.replaced, false);
    assert.equal(second.replaced, true);
    assert.equal(getManifest(t.store, 'ds-imm').build_id, 'b2');
    assert.equal(JSON.parse(fs.readFileSync(second.manifestPath, 'utf8')).trace_count, 7);
    const items = t.store.read((q) => q.get<{ n: number }>("SELECT count(*) AS n FROM dataset_items WHERE dataset_key = 'ds-imm'"))!.n;
    assert.equal(items, 7);
  });

  it('reports traces deleted after the build; delete removes the dataset and its manifest, not the traces', async () => {
    const m = (await buildDataset(t.store, opts(t, { version: 'del', limit: 20 }))).manifest;
    await deleteTraces(t.store, m.trace_ids.slice(0, 3));
    assert.deepEqual(missingTraces(t.store, 'ds-del'), { missing: m.trace_ids.slice(0, 3), changed: [] });
    const file = manifestPath(t.db, 'ds-del');
    assert.ok(fs.existsSync(file));
    const before = t.store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM traces'))!.n;
    assert.deepEqual(await deleteDataset(t.store, t.db, 'ds-del'), { manifestRemoved: true });
    assert.ok(!fs.existsSync(path.dirname(file)));
    assert.throws(() => getManifest(t.store, 'ds-del'), /No dataset "ds-del"/);
    assert.equal(t.store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM traces'))!.n, before);
    await assert.rejects(deleteDataset(t.store, t.db, 'ds-del'), /No dataset "ds-del"/);
  });
});

describe('dataset build: dedup', () => {
  it('exact keeps identical content once; near also drops the same prompt written differently', async () => {
    const t = await freshDb();
    await insert(t.store, [
      trace('What is 2 + 3?', null, ['2+3=5'], '5'),
      trace('what is 2+3', null, ['add them: 5'], '5'),
      trace('What is 2 - 3?', null, ['2-3=-1'], '-1'),
    ]);
    const exact = (await buildDataset(t.store, { name: 'd', version: 'exact', databasePath: t.db, selection: 'all' })).manifest;
    assert.equal(exact.trace_count, 3);
    const near = (await buildDataset(t.store, { name: 'd', version: 'near', databasePath: t.db, selection: 'all', dedup: 'near' })).manifest;
    assert.equal(near.trace_count, 2);
    assert.equal(near.dedup.dropped_count, 1);
    assert.equal(near.dedup.dropped[0].reason, 'near');
    assert.equal(near.dedup.dropped[0].duplicate_of, near.trace_ids[0]);
  });

  it('a cancelled build stores nothing and writes no manifest', async () => {
    const t = await freshDb();
    await insert(t.store, [...generateTraces({ task: 'mixed', count: 50, seed: 1 })]);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(buildDataset(t.store, { name: 'd', version: 'cancel', databasePath: t.db, signal: ac.signal }), /Cancelled/);
    assert.equal(t.store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM datasets'))!.n, 0);
    assert.ok(!fs.existsSync(manifestPath(t.db, 'd-cancel')));
  });

  it('an empty database is a clear error', async () => {
    const t = await freshDb();
    await assert.rejects(buildDataset(t.store, { name: 'd', version: 'v', databasePath: t.db }), /holds no traces yet.*tunix-rt import/);
  });
});

describe('dataset keys', () => {
  it('are tunix-rt keys (spaces and slashes to _) and never leave the datasets folder', () => {
    assert.equal(datasetKey('my data', 'v1/final'), 'my_data-v1_final');
    assert.throws(() => datasetKey('..', 'v1'), /may use only letters/);
    assert.throws(() => datasetKey('a', ''), /version is empty/);
    assert.throws(() => datasetKey('x'.repeat(129), 'v'), /longer than 128/);
    assert.throws(() => manifestPath('/tmp/db/tunix.db', '../../etc'), /not a plain folder name/);
  });

  it('split specs are checked with the reason', () => {
    assert.deepEqual(parseSplits('train=80,test=20').ratios, [
      { name: 'train', ratio: 0.8 },
      { name: 'test', ratio: 0.2 },
    ]);
    assert.throws(() => parseSplits('train=0.8,val=0.1'), /add up to 0.9, not 1/);
    assert.throws(() => parseSplits('train=0.5,train=0.5'), /given twice/);
    assert.throws(() => parseSplits('train'), /not NAME=RATIO/);
    assert.throws(() => parseSplits('tr ain=1'), /must start with a letter/);
    assert.throws(() => parseSplits('train=-1,val=2'), />= 0/);
  });
});
