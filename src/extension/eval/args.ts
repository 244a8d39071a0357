// Reading command arguments: commands run from the palette (no arguments), from tree items
// and webviews (a run id, or an object with one) and from tests (an options object).

/** A run id from a string, `{ runId }`, `{ id }` (run records, tree nodes) or `{ run: { id } }`. */
export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.trim()) return arg.trim();
  if (arg && typeof arg === 'object') {
    const o = arg as { runId?: unknown; id?: unknown; run?: { id?: unknown } };
    for (const v of [o.runId, o.run?.id, o.id]) if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

export function stringField(arg: unknown, key: string): string | undefined {
  if (arg && typeof arg === 'object') {
    const v = (arg as Record<string, unknown>)[key];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

export function stringArray(arg: unknown): string[] | undefined {
  if (Array.isArray(arg) && arg.every((a) => typeof a === 'string')) return arg as string[];
  return undefined;
}
