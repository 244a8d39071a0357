// The Traces view's top levels (source -> category -> count) restricted to the view's active
// search and meta filters. Without a filter it is the store's traceGroups(); with one, the
// same grouping over the matching traces, built from the store's own query helpers (ftsQuery,
// metaPath) so it matches exactly what queryTraces lists under each group.
import type { Store } from '../store/store';
import { ftsQuery, metaPath } from '../store/traces/query';
import { traceGroups, type SourceGroup, type TraceGroups } from '../store/traces/read';
import type { SqlValue } from '../store/types';
import { UserError } from '../errors';
import { isFiltered, type TraceViewFilter } from './filter';

export { isFiltered, describeFilter, type TraceViewFilter } from './filter';

export function filteredTraceGroups(store: Store, f: TraceViewFilter): TraceGroups {
  if (!isFiltered(f)) return traceGroups(store);
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (f.text !== undefined && f.text.trim() !== '') {
    where.push('t.seq IN (SELECT docid FROM traces_fts WHERE traces_fts MATCH ?)');
    params.push(ftsQuery(f.text));
  }
  for (const filter of f.filters ?? []) {
    const path = metaPath(filter.key);
    const concrete = filter.values.filter((v) => v !== null);
    const parts: string[] = [];
    if (concrete.length) {
      parts.push(`json_extract(t.meta, ?) IN (${concrete.map(() => '?').join(', ')})`);
      params.push(path, ...concrete.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
    }
    if (concrete.length !== filter.values.length) {
      parts.push('json_extract(t.meta, ?) IS NULL');
      params.push(path);
    }
    if (parts.length === 0) throw new UserError(`The filter on "${filter.key}" has no values.`);
    where.push(parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`);
  }
  const rows = store.read((q) =>
    q.all<{ source: string; category: string; n: number }>(`SELECT t.source AS source, t.category AS category, count(*) AS n FROM traces t WHERE ${where.join(' AND ')} GROUP BY t.source, t.category ORDER BY t.source, t.category`, params),
  );
  const sources: SourceGroup[] = [];
  let total = 0;
  for (const r of rows) {
    let s = sources[sources.length - 1];
    if (!s || s.source !== r.source) sources.push((s = { source: r.source, count: 0, categories: [] }));
    s.categories.push({ category: r.category, count: r.n });
    s.count += r.n;
    total += r.n;
  }
  return { total, sources };
}
