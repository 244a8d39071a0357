// Reading single traces, the tree's group counts, and the meta keys/values filter pickers offer.
import type { Readable } from '../store';
import type { SqlValue } from '../types';
import type { TraceQuery } from './query';
import { allOf, usesGroupCounts, whereClause } from './where';
import { rowToRecord, type StoredScore, type StoredTrace, type TraceRow } from './model';

interface ScoreRow {
  trace_id: string;
  criteria: string;
  score: number;
  details: string | null;
  scored_at: string;
}

function toScore(r: ScoreRow): StoredScore {
  return { criteria: r.criteria, score: r.score, details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>), scoredAt: r.scored_at };
}

/** The whole trace with its scores, or undefined when no trace has this id. */
export function getTrace(store: Readable, id: string): StoredTrace | undefined {
  return getTraces(store, [id])[0];
}

/** The traces with these ids, in the order asked; unknown ids are left out. */
export function getTraces(store: Readable, ids: readonly string[]): StoredTrace[] {
  return store.read((q) => {
    const out: StoredTrace[] = [];
    for (const id of ids) {
      const row = q.get<TraceRow>('SELECT * FROM traces WHERE id = ?', [id]);
      if (!row) continue;
      const scores = q.all<ScoreRow>('SELECT * FROM scores WHERE trace_id = ? ORDER BY criteria', [id]).map(toScore);
      out.push({ id: row.id, record: rowToRecord(row), contentHash: row.content_hash, source: row.source, category: row.category, importedAt: row.imported_at, origin: row.origin, scores });
    }
    return out;
  });
}

export function getScores(store: Readable, id: string): StoredScore[] {
  return store.read((q) => q.all<ScoreRow>('SELECT * FROM scores WHERE trace_id = ? ORDER BY criteria', [id]).map(toScore));
}

export interface CategoryGroup {
  /** '' for traces without a category. */
  category: string;
  count: number;
}

export interface SourceGroup {
  /** '' for traces without a source. */
  source: string;
  count: number;
  categories: CategoryGroup[];
}

export interface TraceGroups {
  total: number;
  sources: SourceGroup[];
}

/**
 * Source -> category -> count, sorted by name, for the tree view's top levels: of the traces
 * matching `query` (the same filters as queryTraces/countTraces; sort, limit and cursor are
 * ignored). Without text or meta filters the counts kept by triggers answer it: no scan.
 */
export function traceGroups(store: Readable, query: TraceQuery = {}): TraceGroups {
  const params: SqlValue[] = [];
  const sql = usesGroupCounts(query)
    ? `SELECT g.source AS source, g.category AS category, g.n AS n FROM trace_groups g WHERE ${allOf(whereClause(query, params, 'g'))} ORDER BY g.source, g.category`
    : `SELECT t.source AS source, t.category AS category, count(*) AS n FROM traces t WHERE ${allOf(whereClause(query, params, 't'))} GROUP BY t.source, t.category ORDER BY t.source, t.category`;
  const rows = store.read((q) => q.all<{ source: string; category: string; n: number }>(sql, params));
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

export interface MetaKey {
  key: string;
  /** Traces whose meta has this key. */
  count: number;
}

/** The top-level meta keys in use, most common first (counts kept by triggers: no scan). */
export function metaKeys(store: Readable): MetaKey[] {
  return store.read((q) =>
    q.all<{ key: string; n: number }>('SELECT key, sum(n) AS n FROM trace_meta_values GROUP BY key ORDER BY n DESC, key').map((r) => ({ key: r.key, count: r.n })),
  );
}

export interface MetaValue {
  /** The value as stored: string, number, boolean, null; objects and arrays as JSON text. Pass it back as a filter value. */
  value: string | number | boolean | null;
  count: number;
}

export interface MetaValues {
  values: MetaValue[];
  /** True when there were more distinct values than `limit`. */
  truncated: boolean;
}

/** The distinct values of one meta key, most common first (at most `limit`; counts kept by triggers). */
export function metaValues(store: Readable, key: string, limit = 200): MetaValues {
  const rows = store.read((q) =>
    q.all<{ type: string; value: string | number; n: number }>('SELECT type, value, n FROM trace_meta_values WHERE key = ? ORDER BY n DESC, type, value LIMIT ?', [key, limit + 1]),
  );
  const truncated = rows.length > limit;
  const values = rows.slice(0, limit).map((r) => ({
    value: r.type === 'null' ? null : r.type === 'true' ? true : r.type === 'false' ? false : r.value,
    count: r.n,
  }));
  return { values, truncated };
}
