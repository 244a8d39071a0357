import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  countTraces,
  deleteTraces,
  getTrace,
  insertTraces,
  metaKeys,
  metaValues,
  openStore,
  prepareTrace,
  queryTraces,
  rebuildSteps,
  scoreTraces,
  traceGroups,
  type Store,
  type TraceSummary,
} from '../../../src/core/store';
import { baselineScore } from '../../../src/core/trace/score';
import type { TraceRecord } from '../../../src/core/trace/types';
import { tempDir } from '../helpers';

function trace(n: number, over: Partial<TraceRecord> = {}): TraceRecord {
  return {
    trace_version: '1.0',
    prompt: `What is ${n} + ${n}? apple${n % 3 === 0 ? ' banana' : ''}`,
    final_answer: String(2 * n),
    steps: [
      { i: 0, type: 'column', content: `${n} doubled\nacross two lines` },
      { i: 2, type: 'result', content: `the answer is ${2 * n}` },
    ],
    meta: { source: `src${n % 2}`, category: `cat${n % 3}`, task_type: n % 4 === 0 ? 'even4' : 'other', level: n % 5 },
    ...over,
  };
}

async function seeded(count: number, file = 'q.db'): Promise<Store> {
  const store = await openStore(path.join(tempDir(), file));
  const rows = Array.from({ length: count }, (_, k) => prepareTrace(trace(k), `f.jsonl:${k + 1}`));
  await store.write((tx) => insertTraces(tx, rows, '2025-01-01T00:00:00.000Z'));
  return store;
}

function allPages(store: Store, q: Parameters<typeof queryTraces>[1]): TraceSummary[] {
  const out: TraceSummary[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = queryTraces(store, { ...q, ...(after ? { after } : {}) });
    out.push(...page.items);
    if (!page.next) return out;
    after = page.next;
  }
  throw new Error('pagination did not end');
}

describe('store: traces', () => {
  it('stores a record and gives it back exactly (steps with newlines, non-contiguous indices, meta)', async () => {
    const store = await seeded(0, 'roundtrip.db');
    const rec = trace(7, { id: 'own-id' });
    const [outcome] = await store.write((tx) => insertTraces(tx, [prepareTrace(rec, 'x.jsonl:3')], '2025-01-02T00:00:00.000Z'));
    assert.equal(outcome.kind, 'inserted');
    const got = getTrace(store, 'own-id')!;
    assert.deepEqual(got.record, rec);
    assert.equal(got.source, 'src1');
    assert.equal(got.category, 'cat1');
    assert.equal(got.origin, 'x.jsonl:3');
    assert.equal(getTrace(store, 'nope'), undefined);
    await store.close();
  });

  it('rebuildSteps splits on recorded lengths, not on newlines', () => {
    const steps = [
      { i: 0, type: 'a', content: 'x\ny' },
      { i: 5, type: 'b', content: '\n' },
      { i: 6, type: 'c', content: 'z' },
    ];
    const p = prepareTrace({ trace_version: '1', prompt: 'p', final_answer: 'f', steps });
    assert.deepEqual(rebuildSteps(p.stepsText, p.stepsLayout), steps);
  });

  it('dedups by content hash and derives a stable id from it; an own id with other content is a conflict', async () => {
    const store = await seeded(0, 'dedup.db');
    const a = prepareTrace(trace(1));
    const b = prepareTrace({ ...trace(1), meta: { other: true } }); // same content, other meta
    const c = prepareTrace(trace(2, { id: a.id }));
    const out = await store.write((tx) => insertTraces(tx, [a, b, c], '2025-01-01T00:00:00.000Z'));
    assert.deepEqual(
      out.map((o) => o.kind),
      ['inserted', 'duplicate', 'id-conflict'],
    );
    assert.equal(out[1].kind === 'duplicate' && out[1].existingId, a.id);
    assert.match(a.id, /^tr-[0-9a-f]{20}$/);
    assert.equal(prepareTrace(trace(1)).id, a.id, 'the generated id is stable');
    assert.equal(countTraces(store), 1);
    await store.close();
  });

  it('keyset pagination visits every trace exactly once, in order, for every sort', async () => {
    const store = await seeded(230);
    for (const sort of ['imported', 'id', 'source', 'category', 'steps'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const items = allPages(store, { sort, order, limit: 17 });
        assert.equal(items.length, 230, `${sort} ${order}`);
        assert.equal(new Set(items.map((i) => i.id)).size, 230, `${sort} ${order} unique`);
      }
    }
    const byId = allPages(store, { sort: 'id', limit: 50 }).map((i) => i.id);
    assert.deepEqual(byId, [...byId].sort());
    const bySource = allPages(store, { sort: 'source', order: 'desc', limit: 40 }).map((i) => i.source);
    assert.deepEqual(bySource, [...bySource].sort().reverse());
    await store.close();
  });

  it('a cursor from another sort is refused with a clear message', async () => {
    const store = await seeded(10, 'cursor.db');
    const page = queryTraces(store, { limit: 3 });
    assert.throws(() => queryTraces(store, { limit: 3, sort: 'id', after: page.next }), /another sort or order/);
    assert.throws(() => queryTraces(store, { after: '%%%' }), /cursor/);
    await store.close();
  });

  it('filters by source, category and any meta key (numbers, strings, missing), and full text', async () => {
    const store = await seeded(60, 'filter.db');
    assert.equal(countTraces(store, { source: 'src0' }), 30);
    assert.equal(countTraces(store, { source: 'src0', category: 'cat0' }), 10);
    assert.equal(countTraces(store, { filters: [{ key: 'task_type', values: ['even4'] }] }), 15);
    assert.equal(countTraces(store, { filters: [{ key: 'level', values: [0, 1] }] }), 24);
    assert.equal(countTraces(store, { filters: [{ key: 'level', values: ['0'] }] }), 0, 'the string "0" is not the number 0');
    assert.equal(countTraces(store, { filters: [{ key: 'absent', values: [null] }] }), 60);
    assert.equal(countTraces(store, { text: 'banana' }), 20);
    assert.equal(countTraces(store, { text: 'banana apple' }), 20);
    assert.equal(countTraces(store, { text: 'ban*' }), 20);
    assert.equal(countTraces(store, { text: 'doubled' }), 60, 'step text is searched');
    assert.equal(countTraces(store, { text: '"answer" OR NOT' }), 0, 'FTS operators are plain words');
    const texts = allPages(store, { text: 'banana', limit: 7 });
    assert.equal(texts.length, 20);
    const sortedSearch = allPages(store, { text: 'banana', sort: 'category', limit: 6 });
    assert.equal(sortedSearch.length, 20);
    assert.throws(() => queryTraces(store, { text: '!!!' }), /no words/);
    await store.close();
  });

  it('every meta key can be listed and filtered on, also keys with quotes, dots, brackets and $ (a trace with one never breaks the others)', async () => {
    const store = await seeded(0, 'odd-keys.db');
    const odd = ['say "hi"', 'a.b', 'x[0]', '$.k', '', 'back\\slash'];
    const metas = [0, 1, 2, 3].map((k) => Object.fromEntries(odd.map((key) => [key, k % 2 ? 'one' : 'two'])) as TraceRecord['meta']);
    metas.push({ other: 1 });
    await store.write((tx) => insertTraces(tx, metas.map((meta, k) => prepareTrace(trace(k, { meta }))), '2025-01-01T00:00:00.000Z'));
    const keys = metaKeys(store).map((k) => k.key);
    for (const key of odd) {
      assert.ok(keys.includes(key), `listed: ${JSON.stringify(key)}`);
      assert.deepEqual(metaValues(store, key).values.map((v) => [v.value, v.count]).sort(), [['one', 2], ['two', 2]]);
      assert.equal(countTraces(store, { filters: [{ key, values: ['one'] }] }), 2, `filter ${JSON.stringify(key)}`);
      assert.equal(countTraces(store, { filters: [{ key, values: [null] }] }), 1, `absent ${JSON.stringify(key)}`);
    }
    await store.close();
  });

  it('meta filters read the meta index: rare and common values, every type, after updates and deletes, as json_extract reads them', async () => {
    const store = await seeded(0, 'meta-index.db');
    const kinds = ['a', 'b', 'a', 'a', 'b', 'a', 'b', 'a'];
    const metaOf = (k: number): Record<string, unknown> | null => {
      if (k % 17 === 5) return null;
      const m: Record<string, unknown> = { kind: k % 50 === 7 ? 'rare' : kinds[k % kinds.length] };
      if (k % 3) m.n = [1, 1.0, 2.5, -3][k % 4];
      if (k % 5 === 1) m.flag = k % 2 === 0;
      if (k % 7 === 2) m.flag = 'true';
      if (k % 11 === 3) m.obj = { x: [1, 'y'] };
      if (k % 13 === 4) m.kind = null;
      return m;
    };
    const metas = Array.from({ length: 300 }, (_, k) => metaOf(k));
    await store.write((tx) => insertTraces(tx, metas.map((meta, k) => prepareTrace(trace(k, { meta: meta as TraceRecord['meta'] }))), '2025-01-01T00:00:00.000Z'));
    // Change some traces' meta and delete others: the index follows.
    const ids = queryTraces(store, { limit: 300 }).items.map((i) => i.id);
    await store.write((tx) => {
      for (const k of [7, 57, 8]) tx.run('UPDATE traces SET meta = ? WHERE id = ?', [JSON.stringify({ kind: 'moved', n: 9 }), ids[k]]);
    });
    metas[7] = metas[57] = metas[8] = { kind: 'moved', n: 9 };
    await deleteTraces(store, [ids[107], ids[1], ids[2]]);
    const alive = (k: number) => ![107, 1, 2].includes(k);
    type V = string | number | boolean | null;
    const holds = (meta: Record<string, unknown> | null, key: string, v: V): boolean => {
      const x = meta?.[key];
      if (v === null) return x === undefined || x === null;
      if (typeof v === 'string') return x === v || (typeof x === 'object' && x !== null && JSON.stringify(x) === v);
      return x === v;
    };
    const cases: Array<{ key: string; values: V[] }> = [
      { key: 'kind', values: ['rare'] }, // few: read from the index
      { key: 'kind', values: ['a'] }, // many: probed row by row
      { key: 'kind', values: ['moved', 'b'] },
      { key: 'kind', values: [null] },
      { key: 'kind', values: ['rare', null] },
      { key: 'n', values: [1] },
      { key: 'n', values: [2.5, -3, '1'] },
      { key: 'flag', values: [true] },
      { key: 'flag', values: [false, 'true'] },
      { key: 'obj', values: ['{"x":[1,"y"]}'] },
      { key: 'nothing', values: ['x'] },
    ];
    for (const c of cases) {
      const expected = ids.filter((_, k) => alive(k) && c.values.some((v) => holds(metas[k], c.key, v)));
      const label = JSON.stringify(c);
      assert.equal(countTraces(store, { filters: [c] }), expected.length, `count ${label}`);
      assert.deepEqual(allPages(store, { filters: [c], limit: 7 }).map((t) => t.id), expected, `pages ${label}`);
      const byCategory = allPages(store, { filters: [c], sort: 'category', order: 'desc', limit: 9 }).map((t) => t.id);
      assert.deepEqual([...byCategory].sort(), [...expected].sort(), `sorted by category ${label}`);
      assert.equal(traceGroups(store, { filters: [c] }).total, expected.length, `groups ${label}`);
    }
    // Two filters and a text search at once.
    const both = ids.filter((_, k) => alive(k) && holds(metas[k], 'kind', 'a') && holds(metas[k], 'n', 1) && k % 3 === 0);
    assert.deepEqual(allPages(store, { filters: [{ key: 'kind', values: ['a'] }, { key: 'n', values: [1] }], text: 'banana', limit: 5 }).map((t) => t.id), both);
    await store.close();
  });

  it('group counts for the tree, meta keys and values for filter pickers', async () => {
    const store = await seeded(12, 'groups.db');
    const g = traceGroups(store);
    assert.equal(g.total, 12);
    assert.deepEqual(
      g.sources.map((s) => [s.source, s.count, s.categories.map((c) => [c.category, c.count])]),
      [
        ['src0', 6, [['cat0', 2], ['cat1', 2], ['cat2', 2]]],
        ['src1', 6, [['cat0', 2], ['cat1', 2], ['cat2', 2]]],
      ],
    );
    // The same filters as listing: source/category read the kept counts, meta filters scan.
    const bySource = traceGroups(store, { source: 'src1', category: 'cat2' });
    assert.deepEqual(bySource, { total: 2, sources: [{ source: 'src1', count: 2, categories: [{ category: 'cat2', count: 2 }] }] });
    const byMeta = traceGroups(store, { filters: [{ key: 'task_type', values: ['other'] }] });
    assert.equal(byMeta.total, countTraces(store, { filters: [{ key: 'task_type', values: ['other'] }] }));
    assert.equal(byMeta.total, 9);
    assert.deepEqual(
      metaKeys(store).map((k) => k.key).sort(),
      ['category', 'level', 'source', 'task_type'],
    );
    const v = metaValues(store, 'task_type');
    assert.deepEqual(v.values, [
      { value: 'other', count: 9 },
      { value: 'even4', count: 3 },
    ]);
    assert.equal(metaValues(store, 'level', 2).truncated, true);
    // The counts follow new traces at once.
    await store.write((tx) => insertTraces(tx, [prepareTrace(trace(100, { meta: { brand_new: 'yes', task_type: 'even4' } }))], '2025-01-01T00:00:00.000Z'));
    assert.ok(metaKeys(store).some((k) => k.key === 'brand_new'));
    assert.deepEqual(metaValues(store, 'task_type').values[1], { value: 'even4', count: 4 });
    await store.close();
  });

  it('meta values keep their JSON type (1, true, "1", null, objects) and each works as a filter value', async () => {
    const store = await seeded(0, 'types.db');
    const metas = [{ flag: true }, { flag: false }, { flag: 1 }, { flag: '1' }, { flag: null }, { flag: { deep: [1, 2] } }, { flag: true }];
    await store.write((tx) => insertTraces(tx, metas.map((meta, k) => prepareTrace(trace(k, { meta }))), '2025-01-01T00:00:00.000Z'));
    const { values } = metaValues(store, 'flag');
    assert.deepEqual(
      values.map((v) => [v.value, v.count]),
      [[true, 2], [false, 1], [1, 1], [null, 1], ['{"deep":[1,2]}', 1], ['1', 1]],
    );
    for (const v of values) {
      if (v.value === null) continue; // null also matches traces without the key
      assert.equal(countTraces(store, { filters: [{ key: 'flag', values: [v.value] }] }), v.count, `filter ${JSON.stringify(v.value)}`);
    }
    await deleteTraces(store, queryTraces(store, { limit: 100 }).items.map((i) => i.id));
    assert.deepEqual(metaKeys(store), [], 'deleting the traces takes their meta counts away');
    await store.close();
  });

  it('upgrading a database from traces@1 fills the group counts from the stored traces', async () => {
    const store = await seeded(9, 'upgrade.db');
    await store.write((tx) =>
      tx.exec(`DROP TRIGGER trace_groups_insert; DROP TRIGGER trace_groups_delete; DROP TRIGGER trace_groups_update; DROP TABLE trace_groups;
        DROP TRIGGER trace_meta_values_insert; DROP TRIGGER trace_meta_values_delete; DROP TRIGGER trace_meta_values_update; DROP TABLE trace_meta_values;
        DROP TRIGGER trace_meta_index_insert; DROP TRIGGER trace_meta_index_delete; DROP TRIGGER trace_meta_index_update; DROP TABLE trace_meta_index;
        DELETE FROM _migrations WHERE domain = 'traces' AND version > 1;`),
    );
    const file = store.path;
    await store.close();
    const upgraded = await openStore(file);
    assert.equal(traceGroups(upgraded).total, 9);
    assert.deepEqual(metaValues(upgraded, 'task_type').values, [
      { value: 'other', count: 6 },
      { value: 'even4', count: 3 },
    ]);
    // The meta index is filled from the stored traces: a filter (which reads it) finds them.
    assert.equal(countTraces(upgraded, { filters: [{ key: 'task_type', values: ['even4'] }] }), 3);
    assert.equal(upgraded.read((q) => q.get<{ v: number }>("SELECT max(version) AS v FROM _migrations WHERE domain = 'traces'"))!.v, 4);
    await upgraded.close();
  });

  it('scores with the tunix-rt baseline, stores criteria and details, and deletes follow', async () => {
    const store = await seeded(5, 'score.db');
    const id = queryTraces(store, { limit: 1 }).items[0].id;
    const r = await scoreTraces(store, [id, 'missing-id']);
    assert.deepEqual(r, { scored: 1, missing: ['missing-id'] });
    const t = getTrace(store, id)!;
    const expected = baselineScore(t.record);
    assert.equal(t.scores[0].criteria, 'baseline');
    assert.equal(t.scores[0].score, expected.score);
    assert.deepEqual(t.scores[0].details, expected.details as unknown as Record<string, unknown>);
    assert.equal(queryTraces(store, { limit: 1 }).items[0].score, expected.score);
    assert.equal((await scoreTraces(store, 'all')).scored, 5);
    assert.equal(await deleteTraces(store, [id, 'missing-id']), 1);
    assert.equal(getTrace(store, id), undefined);
    assert.equal(store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM scores WHERE trace_id = ?', [id]))!.n, 0);
    assert.equal(countTraces(store, { text: 'apple' }), 4, 'the search index forgets the deleted trace');
    assert.equal(traceGroups(store).total, 4, 'the group counts follow deletes');
    assert.equal(countTraces(store), 4);
    await deleteTraces(store, queryTraces(store, { limit: 10 }).items.map((i) => i.id));
    assert.deepEqual(traceGroups(store), { total: 0, sources: [] }, 'empty groups disappear');
    await store.close();
  });
});
