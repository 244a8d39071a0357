// The SQL conditions a TraceQuery stands for. Listing, counting and grouping all build their
// WHERE from here, so a count or a group in the tree always matches the traces listed under it.
import { UserError } from '../../errors';
import type { Reader } from '../store';
import type { SqlValue } from '../types';
import type { MetaFilter, TraceQuery } from './query';

/** Turns what a user typed into a safe FTS4 query: every word quoted (so AND/OR/NEAR/- are just words), implicit AND. */
export function ftsQuery(text: string): string {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/"/g, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) throw new UserError(`The search "${text}" has no words to look for; type at least one letter or digit.`);
  return words.map((w) => (w.endsWith('*') ? `"${w.replace(/\*+$/, '')}*"` : `"${w}"`)).join(' ');
}

/** True when `q` narrows only by source/category: the counts the triggers keep in trace_groups answer it without a scan. */
export function usesGroupCounts(q: TraceQuery): boolean {
  return q.text === undefined && !q.filters?.length;
}

/** Joins conditions with AND ('1' when there are none). */
export function allOf(conditions: readonly string[]): string {
  return conditions.length ? conditions.join(' AND ') : '1';
}

/** One (types, values) group of a meta filter's values: what trace_meta_index rows it matches. */
interface MetaValueGroup {
  types: readonly string[];
  /** Undefined: any value of these types (booleans: the type is the value). */
  values?: SqlValue[];
}

/**
 * The non-null values of a filter, grouped by how trace_meta_index stores them. Strings match
 * text, and objects and arrays by their JSON text (as json_extract returns it); numbers match
 * integers and reals; booleans match their JSON type.
 */
function valueGroups(f: MetaFilter): MetaValueGroup[] {
  const groups: MetaValueGroup[] = [];
  const strings = f.values.filter((v): v is string => typeof v === 'string');
  const numbers = f.values.filter((v): v is number => typeof v === 'number');
  const booleans = f.values.filter((v): v is boolean => typeof v === 'boolean');
  if (strings.length) {
    // Only a string that looks like JSON text of an object or array can match one.
    const json = strings.filter((v) => /^\s*[[{]/.test(v));
    groups.push({ types: ['text'], values: strings });
    if (json.length) groups.push({ types: ['object', 'array'], values: json });
  }
  if (numbers.length) groups.push({ types: ['integer', 'real'], values: numbers });
  if (booleans.length) groups.push({ types: [...new Set(booleans.map((b) => (b ? 'true' : 'false')))] });
  return groups;
}

/** `key = ? AND type IN (...) [AND value IN (...)]` on `table`, its parameters pushed. */
function groupCondition(table: string, key: string, g: MetaValueGroup, params: SqlValue[]): string {
  params.push(key, ...g.types);
  let sql = `${table}.key = ? AND ${table}.type IN (${g.types.map(() => '?').join(', ')})`;
  if (g.values) {
    sql += ` AND ${table}.value IN (${g.values.map(() => '?').join(', ')})`;
    params.push(...g.values);
  }
  return sql;
}

/**
 * How many traces a filter matches at most, from the counts trace_meta_values keeps (no scan);
 * Infinity when it includes null (null also matches traces without the key).
 */
export function estimateMatches(r: Reader, f: MetaFilter): number {
  if (f.values.includes(null)) return Infinity;
  let n = 0;
  for (const g of valueGroups(f)) {
    const params: SqlValue[] = [];
    n += r.get<{ n: number }>(`SELECT coalesce(sum(v.n), 0) AS n FROM trace_meta_values v WHERE ${groupCondition('v', f.key, g, params)}`, params)?.n ?? 0;
  }
  return n;
}

/**
 * How a meta filter is evaluated:
 * - 'index': the matching traces are read from trace_meta_index first (best when few match,
 *   and for counts, which visit every match anyway);
 * - 'probe': each trace visited in the listing's order is looked up in trace_meta_index (best
 *   when many match: a page stops after its first rows).
 */
export type MetaFilterPlan = 'index' | 'probe';

/**
 * The conditions of `q` on the table aliased `alias` (traces, or trace_groups when `q` has
 * only source/category), pushing their parameters onto `params`. `skipText` when the caller
 * drives the query from the full-text index itself; `plan` picks how each meta filter runs.
 */
export function whereClause(q: TraceQuery, params: SqlValue[], alias: string, skipText = false, plan: (f: MetaFilter) => MetaFilterPlan = () => 'index'): string[] {
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
    const groups = valueGroups(f);
    const parts: string[] = [];
    if (groups.length && plan(f) === 'index') {
      const selects = groups.map((g) => `SELECT m.seq FROM trace_meta_index m WHERE ${groupCondition('m', f.key, g, params)}`);
      parts.push(`${alias}.seq IN (${selects.join(' UNION ALL ')})`);
    } else {
      for (const g of groups) parts.push(`EXISTS (SELECT 1 FROM trace_meta_index m WHERE ${groupCondition('m', f.key, g, params)} AND m.seq = ${alias}.seq)`);
    }
    if (f.values.includes(null)) {
      // Absent, null, or meta itself null: no non-null value of the key in the index. (Not a
      // JSON path: SQLite's paths cannot spell every key, e.g. one holding a double quote.)
      parts.push(`NOT EXISTS (SELECT 1 FROM trace_meta_index m WHERE m.key = ? AND m.type != 'null' AND m.seq = ${alias}.seq)`);
      params.push(f.key);
    }
    if (parts.length === 0) throw new UserError(`The filter on "${f.key}" has no values.`);
    where.push(parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`);
  }
  return where;
}
