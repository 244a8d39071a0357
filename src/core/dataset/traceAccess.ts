// What a dataset build and export need from the traces store: matching ids in a chosen
// order (through the store's own query, so filters and full-text search mean the same as in
// the Traces view and `tunix-rt traces search`), and full records by id.
import type { Store } from '../store';
import { queryTraces, rowToRecord, type MetaFilter, type TraceQuery, type TraceRow } from '../store';
import type { TraceRecord } from '../trace/types';
import type { MetaFilters } from './manifest';

export interface LoadedTrace {
  id: string;
  contentHash: string;
  importedAt: string;
  record: TraceRecord;
}

const PAGE = 1000;

/**
 * A CLI/UI filter value is text; meta values may be numbers or booleans. "7" matches 7 and
 * "7", "true" matches true and "true", "null" matches a missing key: the same rules as
 * `tunix-rt traces list --filter`.
 */
export function filterValues(value: string): Array<string | number | boolean | null> {
  const out: Array<string | number | boolean | null> = [value];
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value) && Number.isFinite(Number(value))) out.push(Number(value));
  if (value === 'true') out.push(true);
  if (value === 'false') out.push(false);
  if (value === 'null') out.push(null); // a missing key, as in `tunix-rt traces list --filter`
  return out;
}

export function toStoreFilters(filters: MetaFilters): MetaFilter[] {
  return Object.entries(filters).map(([key, v]) => ({ key, values: (Array.isArray(v) ? v : [v]).flatMap(filterValues) }));
}

/** Ids of the traces matching filters and text, newest first ('desc') or oldest first ('asc'). */
export function* matchingIds(store: Store, filters: MetaFilters, text: string | undefined, order: 'asc' | 'desc'): Generator<string[]> {
  const base: TraceQuery = { filters: toStoreFilters(filters), sort: 'imported', order, limit: PAGE, ...(text ? { text } : {}) };
  let after: string | undefined;
  do {
    const page = queryTraces(store, after ? { ...base, after } : base);
    if (page.items.length) yield page.items.map((t) => t.id);
    after = page.next;
  } while (after);
}

const TRACE_COLUMNS = 't.seq, t.id, t.content_hash, t.trace_version, t.prompt, t.steps_text, t.steps_layout, t.final_answer, t.meta, t.source, t.category, t.step_count, t.imported_at, t.origin';

function toLoaded(row: TraceRow): LoadedTrace {
  const { id: _id, ...record } = rowToRecord(row);
  return { id: row.id, contentHash: row.content_hash, importedAt: row.imported_at, record };
}

/** Full traces by id, in the order asked; ids not in the database are left out. */
export function loadTraces(store: Store, ids: readonly string[]): LoadedTrace[] {
  const found = new Map<string, LoadedTrace>();
  for (let k = 0; k < ids.length; k += 500) {
    const chunk = ids.slice(k, k + 500);
    const rows = store.read((q) => q.all<TraceRow>(`SELECT ${TRACE_COLUMNS} FROM traces t WHERE t.id IN (${chunk.map(() => '?').join(',')})`, chunk));
    for (const r of rows) found.set(r.id, toLoaded(r));
  }
  return ids.flatMap((id) => found.get(id) ?? []);
}

export interface DatasetItemRow {
  position: number;
  trace_id: string;
  split: string;
  item_hash: string;
}

/**
 * One batch of a dataset's items in position order (keyset after `afterPosition`), each with
 * its trace when the database still holds it with the same content.
 */
export function itemBatch(
  store: Store,
  key: string,
  split: string | undefined,
  afterPosition: number,
  size: number,
): Array<DatasetItemRow & { trace?: LoadedTrace; changed?: boolean }> {
  const params: Array<string | number> = [key, afterPosition];
  let where = 'i.dataset_key = ? AND i.position > ?';
  if (split !== undefined) {
    where += ' AND i.split = ?';
    params.push(split);
  }
  params.push(size);
  const rows = store.read((q) =>
    q.all<DatasetItemRow & Partial<TraceRow> & { t_id: string | null }>(
      `SELECT i.position, i.trace_id, i.split, i.content_hash AS item_hash, t.id AS t_id, ${TRACE_COLUMNS}
       FROM dataset_items i LEFT JOIN traces t ON t.id = i.trace_id
       WHERE ${where} ORDER BY i.position LIMIT ?`,
      params,
    ),
  );
  return rows.map((r) => {
    const item: DatasetItemRow = { position: r.position, trace_id: r.trace_id, split: r.split, item_hash: r.item_hash };
    if (r.t_id === null) return item;
    if (r.content_hash !== r.item_hash) return { ...item, changed: true };
    return { ...item, trace: toLoaded(r as unknown as TraceRow) };
  });
}
