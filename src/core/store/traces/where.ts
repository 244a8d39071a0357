// The SQL conditions a TraceQuery stands for. Listing, counting and grouping all build their
// WHERE from here, so a count or a group in the tree always matches the traces listed under it.
import { UserError } from '../../errors';
import type { SqlValue } from '../types';
import type { TraceQuery } from './query';

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

/** True when `q` narrows only by source/category: the counts the triggers keep in trace_groups answer it without a scan. */
export function usesGroupCounts(q: TraceQuery): boolean {
  return q.text === undefined && !q.filters?.length;
}

/** Joins conditions with AND ('1' when there are none). */
export function allOf(conditions: readonly string[]): string {
  return conditions.length ? conditions.join(' AND ') : '1';
}

/**
 * The conditions of `q` on the table aliased `alias` (traces, or trace_groups when `q` has
 * only source/category), pushing their parameters onto `params`. `skipText` when the caller
 * drives the query from the full-text index itself.
 */
export function whereClause(q: TraceQuery, params: SqlValue[], alias: string, skipText = false): string[] {
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
