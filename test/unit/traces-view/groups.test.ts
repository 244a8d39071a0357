// The Traces view's groups under its filter (the store's traceGroups with the view's search
// and meta filters) agree with what the store lists under each group, for every combination
// of search and meta filters (a real sql.js store).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { countTraces, insertTraces, openStore, prepareTrace, queryTraces, traceGroups, type Store } from '../../../src/core/store';
import { describeFilter, isFiltered, type TraceViewFilter } from '../../../src/core/traces-view/filter';
import type { TraceRecord } from '../../../src/core/trace/types';
import { tempDir } from '../helpers';

const WORDS = ['carry', 'borrow', 'sum', 'digit', 'prime', 'reverse'];

function record(n: number): TraceRecord {
  const meta: Record<string, unknown> = { category: ['add', 'sub', 'mul'][n % 3], task_type: n % 4 === 0 ? 'even' : 'odd', flag: n % 5 === 0, level: n % 3 };
  if (n % 7 !== 0) meta.source = `gen${n % 2}`;
  if (n % 11 === 0) delete meta.category;
  return {
    trace_version: '1.0',
    prompt: `Problem ${n}: ${WORDS[n % WORDS.length]} ${WORDS[(n * 7) % WORDS.length]}`,
    final_answer: String(n),
    steps: [{ i: 0, type: 'calc', content: `step with ${WORDS[(n * 3) % WORDS.length]}` }],
    meta,
  };
}

describe('traces view: filtered groups', () => {
  let store: Store;

  before(async () => {
    store = await openStore(path.join(tempDir(), 'groups.db'));
    const rows = Array.from({ length: 300 }, (_, k) => prepareTrace(record(k), `f.jsonl:${k + 1}`));
    await store.write((tx) => insertTraces(tx, rows, '2025-01-01T00:00:00.000Z'));
  });

  after(async () => {
    await store.close();
  });

  const filters: TraceViewFilter[] = [
    {},
    { text: 'carry' },
    { text: 'digit prime' },
    { text: 'rev*' },
    { filters: [{ key: 'task_type', values: ['even'] }] },
    { filters: [{ key: 'flag', values: [true] }] },
    { filters: [{ key: 'level', values: [0, 2] }] },
    { filters: [{ key: 'source', values: [null] }] },
    { text: 'sum', filters: [{ key: 'task_type', values: ['odd'] }, { key: 'category', values: ['add', null] }] },
  ];

  for (const f of filters) {
    it(`groups match the store's listing for ${describeFilter(f) || 'no filter'}`, () => {
      const groups = traceGroups(store, f);
      const query = { text: f.text, filters: f.filters };
      assert.equal(groups.total, countTraces(store, query));
      let sum = 0;
      for (const s of groups.sources) {
        assert.equal(s.count, s.categories.reduce((n, c) => n + c.count, 0));
        for (const c of s.categories) {
          const listed = queryTraces(store, { ...query, source: s.source, category: c.category, limit: 1000 });
          assert.equal(listed.items.length, c.count, `${s.source}/${c.category}`);
          assert.ok(c.count > 0, 'no empty groups');
          sum += c.count;
        }
      }
      assert.equal(sum, groups.total);
      if (!isFiltered(f)) assert.deepEqual(groups, traceGroups(store));
    });
  }

  it('a filter that matches nothing yields no groups; a search without words is a clear error', () => {
    assert.deepEqual(traceGroups(store, { text: 'zebra' }), { total: 0, sources: [] });
    assert.throws(() => traceGroups(store, { text: '!!' }), /has no words/);
  });

  it('describes the active filter in one line', () => {
    assert.equal(describeFilter({}), '');
    assert.equal(describeFilter({ text: ' carry ', filters: [{ key: 'task_type', values: ['add', 'sub'] }, { key: 'source', values: [null] }] }), '"carry" · task_type = add, sub · source = (none)');
    assert.equal(isFiltered({ text: '  ' }), false);
  });
});
