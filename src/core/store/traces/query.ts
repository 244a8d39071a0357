// Listing and searching traces: full text, source/category, meta filters, sorting and keyset
// pagination (the cursor holds the last row's sort key, so page 100 costs what page 1 costs).
import { UserError } from '../../errors';
import type { Readable } from '../store';
import type { SqlValue } from '../types';
import { preview, type TraceSummary } from './model';

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

/** Turns what a user typed into a safe FTS4 query: every word quoted (so AND/OR/NEAR/- are just words), implicit AND. */
export function ftsQuery(text: string): string {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/"/g, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) throw new UserError(`The search "${text}" has no words to look for; type at least one letter or digit.`);
  return words.map((w) => (w.endsWith('*') ? `"${w.replace(/\*+$/, '')}*"` : `"${w}"`)).join(' ');
}

/** The JSON path of a top-level meta key, e.g. $."task_type". */
export function metaPath(key: string): string {
  if (key === '' || key.includes('"')) throw new UserError(`Cannot filter on the meta key ${JSON.stringify(key)}: keys must be non-empty and free of double quotes.`);
  return `$."${key}"`;
}

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

function whereClause(q: TraceQuery, params: SqlValue[], alias: string, skipText = false): string[] {
  const where: string[] = [];
  if (q.text !== undefined && !skipText) {
    where.push(`${alias}.seq IN (SELECT docid FROM traces_fts WHERE traces_fts MATCH ?)`);
    params.push(ftsQuery(q.text));
  }
  if (q.source !== undefined) {
    where.push(`${alias}.source = ?`);
    params.push(q.source);
  }
  if (q.category !== undefined) {
    where.push(`${alias}.category = ?`);
    params.push(q.category);
  }
  for (const f of q.filters ?? []) {
    const path = metaPath(f.key);
    // JSON types stay apart (json_extract alone turns true into 1): strings compare as text,
    // numbers only match JSON numbers, booleans are matched by their JSON type.
    const parts: string[] = [];
    const strings = f.values.filter((v): v is string => typeof v === 'string');
    const numbers = f.values.filter((v): v is number => typeof v === 'number');
    const booleans = f.values.filter((v): v is boolean => typeof v === 'boolean');
    if (strings.length) {
      parts.push(`json_extract(${alias}.meta, ?) IN (${strings.map(() => '?').join(', ')})`);
      params.push(path, ...strings);
    }
    if (numbers.length) {
      parts.push(`(json_extract(${alias}.meta, ?) IN (${numbers.map(() => '?').join(', ')}) AND json_type(${alias}.meta, ?) IN ('integer', 'real'))`);
      params.push(path, ...numbers, path);
    }
    if (booleans.length) {
      parts.push(`json_type(${alias}.meta, ?) IN (${booleans.map(() => '?').join(', ')})`);
      params.push(path, ...booleans.map((b) => (b ? 'true' : 'false')));
    }
    if (f.values.includes(null)) {
      parts.push(`json_extract(${alias}.meta, ?) IS NULL`);
      params.push(path);
    }
    if (parts.length === 0) throw new UserError(`The filter on "${f.key}" has no values.`);
    where.push(parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`);
  }
  return where;
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

/** One page of traces matching `q`. */
export function queryTraces(store: Readable, q: TraceQuery = {}): TracePage {
  const sort = q.sort ?? 'imported';
  if (!SORT_KEYS[sort]) throw new UserError(`Unknown sort "${sort}"; use one of ${TRACE_SORTS.join(', ')}.`);
  const order = q.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new UserError(`Unknown order "${order}"; use asc or desc.`);
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UserError(`The page size must be an integer from 1 to 1000, got ${limit}.`);
  const keys = SORT_KEYS[sort];
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
  where.push(...whereClause(q, params, 't', ftsDriven));
  if (q.after) {
    const values = decodeCursor(q.after, sort, order);
    const cols = keys.map((k) => (ftsDriven && k === 'seq' ? 'f.docid' : `t.${k}`));
    const op = order === 'asc' ? '>' : '<';
    where.push(cols.length === 1 ? `${cols[0]} ${op} ?` : `(${cols.join(', ')}) ${op} (${cols.map(() => '?').join(', ')})`);
    params.push(...values);
  }
  const orderBy = keys.map((k) => `${ftsDriven && k === 'seq' ? 'f.docid' : `t.${k}`} ${order.toUpperCase()}`).join(', ');
  const sql = `SELECT ${SUMMARY_COLUMNS} FROM ${from} LEFT JOIN scores s ON s.trace_id = t.id AND s.criteria = 'baseline'
WHERE ${where.length ? where.join(' AND ') : '1'} ORDER BY ${orderBy} LIMIT ?`;
  params.push(limit + 1);
  const rows = store.read((r) => r.all<SummaryRow>(sql, params));
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
  if (q.text === undefined && !q.filters?.length) {
    // Only source/category (or nothing): the counts the triggers keep answer without a scan.
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.source !== undefined) {
      where.push('source = ?');
      params.push(q.source);
    }
    if (q.category !== undefined) {
      where.push('category = ?');
      params.push(q.category);
    }
    const sql = `SELECT coalesce(sum(n), 0) AS n FROM trace_groups WHERE ${where.length ? where.join(' AND ') : '1'}`;
    return store.read((r) => r.get<{ n: number }>(sql, params)?.n ?? 0);
  }
  const params: SqlValue[] = [];
  const where = whereClause(q, params, 't');
  const sql = `SELECT count(*) AS n FROM traces t WHERE ${where.length ? where.join(' AND ') : '1'}`;
  return store.read((r) => r.get<{ n: number }>(sql, params)?.n ?? 0);
}
