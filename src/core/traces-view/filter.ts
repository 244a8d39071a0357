// The Traces view's filter: a full-text search and meta key/value filters. Pure data and
// formatting, free of the store, so the extension can use it without loading the database.
import type { MetaFilter } from '../store/traces/query';

export interface TraceViewFilter {
  /** Words to find in prompt, steps or answer (the store's full-text search). */
  text?: string;
  /** Meta key/value filters, all of which must match. */
  filters?: readonly MetaFilter[];
}

export function isFiltered(f: TraceViewFilter): boolean {
  return (f.text !== undefined && f.text.trim() !== '') || (f.filters?.length ?? 0) > 0;
}

/** A one-line description of the active filter, for the view's description: `"carry" · task_type = add, sub`. */
export function describeFilter(f: TraceViewFilter): string {
  const parts: string[] = [];
  if (f.text?.trim()) parts.push(`"${f.text.trim()}"`);
  for (const m of f.filters ?? []) parts.push(`${m.key} = ${m.values.map((v) => (v === null ? '(none)' : String(v))).join(', ')}`);
  return parts.join(' · ');
}
