// Listing and searching traces: full text, source/category, meta filters, sorting and keyset
// pagination (the cursor holds the last row's sort key, so page 100 costs what page 1 costs).
import { UserError } from '../../errors';
import type { Readable, Reader } from '../store';
import type { SqlValue } from '../types';
import { preview, type TraceSummary } from './model';
import { allOf, estimateMatches, ftsQuery, usesGroupCounts, whereClause, type MetaFilterPlan } from './where';

export { ftsQuery } from './where';

export type TraceSort = 'imported' | 'id' | 'source' | 'category' | 'steps';
export const TRACE_SORTS: readonly TraceSort[] = ['imported', 'id', 'source', 'category', 'steps'];

export interface MetaFilter {
  /** A top-level key of `meta` (e.g. "task_type"). */
  key: string;
  /** The trace matches when meta[key] equals one of these; null matches a missing key. */
  values: ReadonlyArray<string | number | boolean | null>;
}

export interface TraceQuery {
  /** Words to find in prompt, steps or answer (all must occur; `word*` matches a prefix). */
  text?: string;
  /** Exact source ('' = traces without one). */
  source?: string;
  /** Exact category ('' = traces without one). */
  category?: string;
  filters?: readonly MetaFilter[];
  sort?: TraceSort;
  order?: 'asc' | 'desc';
  /** Page size, 1-1000 (default 50). */
  limit?: number;
  /** The `next` cursor of the previous page. */
  after?: string;
}

export interface TracePage {
  items: TraceSummary[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

const SORT_KEYS: Record<TraceSort, string[]> = {
  imported: ['seq'],
  id: ['id'],
  source: ['source', 'category', 'seq'],
  category: ['category', 'seq'],
  steps: ['step_count', 'seq'],
};

interface Cursor {
  s: TraceSort;
  o: 'asc' | 'desc';
  v: SqlValue[];
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

function decodeCursor(text: string, sort: TraceSort, order: 'asc' | 'desc'): SqlValue[] {
  let c: Cursor;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw new UserError(`The cursor "${text.slice(0, 40)}" is not one this tool made; pass the "next" value of the previous page.`);
  }
  if (!c || c.s !== sort || c.o !== order || !Array.isArray(c.v) || c.v.length !== SORT_KEYS[sort].length) {
    throw new UserError(`The cursor belongs to a listing with another sort or order; repeat the same --sort/--order as the previous page.`);
  }
  return c.v;
}

interface SummaryRow {
  seq: number;
  id: string;
  source: string;
  category: string;
  prompt: string;
  answer: string;
  step_count: number;
  trace_version: string;
  imported_at: string;
  score: number | null;
  [key: string]: unknown;
}

const SUMMARY_COLUMNS = `t.seq, t.id, t.source, t.category, substr(t.prompt, 1, 400) AS prompt, substr(t.final_answer, 1, 400) AS answer,
  t.step_count, t.trace_version, t.imported_at, s.score AS score`;

/**
 * For a page: a meta filter that matches few traces (at most 1 in 20, by the kept counts) reads
 * them from the index; a common one is checked row by row in the listing's order, so the page
 * stops after its first rows instead of collecting every match.
 */
function pagePlan(r: Reader): (f: MetaFilter) => MetaFilterPlan {
  let total: number | undefined;
  return (f) => {
    total ??= r.get<{ n: number }>('SELECT coalesce(sum(n), 0) AS n FROM trace_groups')?.n ?? 0;
    return estimateMatches(r, f) * 20 <= total ? 'index' : 'probe';
  };
}

/** One page of traces matching `q`. */
export function queryTraces(store: Readable, q: TraceQuery = {}): TracePage {
  const sort = q.sort ?? 'imported';
  if (!SORT_KEYS[sort]) throw new UserError(`Unknown sort "${sort}"; use one of ${TRACE_SORTS.join(', ')}.`);
  const order = q.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new UserError(`Unknown order "${order}"; use asc or desc.`);
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UserError(`The page size must be an integer from 1 to 1000, got ${limit}.`);
  const keys = SORT_KEYS[sort];
  const rows = store.read((r) => {
    const params: SqlValue[] = [];
    // Sorted by insertion order, a text search is driven from the full-text index itself,
    // which yields docids in order, so LIMIT stops early instead of collecting every match.
    const ftsDriven = q.text !== undefined && sort === 'imported';
    let from = 'traces t';
    const where: string[] = [];
    if (ftsDriven) {
      from = 'traces_fts f JOIN traces t ON t.seq = f.docid';
      where.push('f.traces_fts MATCH ?');
      params.push(ftsQuery(q.text!));
    }
    where.push(...whereClause(q, params, 't', ftsDriven, pagePlan(r)));
    if (q.after) {
      const values = decodeCursor(q.after, sort, order);
      const cols = keys.map((k) => (ftsDriven && k === 'seq' ? 'f.docid' : `t.${k}`));
      const op = order === 'asc' ? '>' : '<';
      where.push(cols.length === 1 ? `${cols[0]} ${op} ?` : `(${cols.join(', ')}) ${op} (${cols.map(() => '?').join(', ')})`);
      params.push(...values);
    }
    const orderBy = keys.map((k) => `${ftsDriven && k === 'seq' ? 'f.docid' : `t.${k}`} ${order.toUpperCase()}`).join(', ');
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM ${from} LEFT JOIN scores s ON s.trace_id = t.id AND s.criteria = 'baseline'
WHERE ${allOf(where)} ORDER BY ${orderBy} LIMIT ?`;
    params.push(limit + 1);
    return r.all<SummaryRow>(sql, params);
  });
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const items = rows.map(toSummary);
  const last = rows[rows.length - 1];
  return more && last ? { items, next: encodeCursor({ s: sort, o: order, v: keys.map((k) => (k === 'step_count' ? last.step_count : (last[k] as SqlValue))) }) } : { items };
}

function toSummary(r: SummaryRow): TraceSummary {
  return {
    id: r.id,
    source: r.source,
    category: r.category,
    promptPreview: preview(r.prompt),
    answerPreview: preview(r.answer),
    stepCount: r.step_count,
    traceVersion: r.trace_version,
    importedAt: r.imported_at,
    score: r.score,
  };
}

/** How many traces match `q` (its sort, limit and cursor are ignored). */
export function countTraces(store: Readable, q: TraceQuery = {}): number {
  const params: SqlValue[] = [];
  // Only source/category (or nothing): the counts the triggers keep answer without a scan.
  const sql = usesGroupCounts(q)
    ? `SELECT coalesce(sum(g.n), 0) AS n FROM trace_groups g WHERE ${allOf(whereClause(q, params, 'g'))}`
    : `SELECT count(*) AS n FROM traces t WHERE ${allOf(whereClause(q, params, 't'))}`;
  return store.read((r) => r.get<{ n: number }>(sql, params)?.n ?? 0);
}
