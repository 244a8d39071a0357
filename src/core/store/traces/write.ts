// Changing traces and scores. Inserts take prepared rows (hashing and JSON work happen
// before the write lock is taken); everything that varies is bound as a parameter.
import { baselineScore } from '../../trace/score';
import type { Store, Writer } from '../store';
import type { PreparedTrace, TraceRow } from './model';
import { rebuildSteps } from './model';

const INSERT_SQL = `INSERT INTO traces (id, content_hash, trace_version, prompt, steps_text, steps_layout, final_answer, meta, source, category, step_count, imported_at, origin)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (content_hash) DO NOTHING`;

export type InsertOutcome =
  | { kind: 'inserted' }
  /** The same content is already stored (under `existingId`). */
  | { kind: 'duplicate'; existingId: string | undefined }
  /** The record's own id is taken by a trace with different content. */
  | { kind: 'id-conflict' };

/**
 * Inserts prepared traces inside a write transaction; one outcome per input, in order.
 * `lossy[k]` marks a record read back from an export format (step types and indices were
 * dropped by the export): when its id is taken by a trace with the same prompt, step texts
 * and answer, it is that trace re-imported, a duplicate rather than a conflict.
 */
export function insertTraces(tx: Writer, traces: readonly PreparedTrace[], importedAt: string, lossy?: readonly boolean[]): InsertOutcome[] {
  const out: InsertOutcome[] = new Array(traces.length);
  for (let k = 0; k < traces.length; k++) {
    const t = traces[k];
    try {
      const r = tx.run(INSERT_SQL, [t.id, t.contentHash, t.traceVersion, t.prompt, t.stepsText, t.stepsLayout, t.finalAnswer, t.meta, t.source, t.category, t.stepCount, importedAt, t.origin]);
      if (r.changes === 1) out[k] = { kind: 'inserted' };
      else out[k] = { kind: 'duplicate', existingId: tx.get<{ id: string }>('SELECT id FROM traces WHERE content_hash = ?', [t.contentHash])?.id };
    } catch (err) {
      if (!/UNIQUE constraint failed: traces\.id/.test(String((err as Error).message))) throw err;
      if (lossy?.[k]) {
        const same = tx.get<{ id: string }>('SELECT id FROM traces WHERE id = ? AND prompt = ? AND steps_text = ? AND final_answer = ?', [t.id, t.prompt, t.stepsText, t.finalAnswer]);
        if (same) {
          out[k] = { kind: 'duplicate', existingId: same.id };
          continue;
        }
      }
      out[k] = { kind: 'id-conflict' };
    }
  }
  return out;
}

/** Deletes traces by id (their scores and search entries go with them); returns how many existed. */
export async function deleteTraces(store: Store, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return store.write((tx) => {
    let n = 0;
    for (const id of ids) n += tx.run('DELETE FROM traces WHERE id = ?', [id]).changes;
    return n;
  }, { purpose: `delete ${ids.length} trace(s)` });
}

export interface ScoreResult {
  scored: number;
  /** Ids that are not in the database. */
  missing: string[];
}

const BATCH = 2000;

/**
 * Computes the tunix-rt baseline score of the given traces (or all) and stores it under
 * criteria 'baseline' with its details, replacing an earlier one.
 */
export async function scoreTraces(store: Store, ids: readonly string[] | 'all', options: { signal?: AbortSignal } = {}): Promise<ScoreResult> {
  const missing: string[] = [];
  let scored = 0;
  const scoredAt = new Date().toISOString();
  const score = (tx: Writer, row: Pick<TraceRow, 'id' | 'steps_text' | 'steps_layout'>) => {
    const s = baselineScore({ steps: rebuildSteps(row.steps_text, row.steps_layout) });
    tx.run('INSERT OR REPLACE INTO scores (trace_id, criteria, score, details, scored_at) VALUES (?, ?, ?, ?, ?)', [row.id, s.criteria, s.score, JSON.stringify(s.details), scoredAt]);
    scored++;
  };
  if (ids === 'all') {
    let after = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const last = await store.write((tx) => {
        const rows = tx.all<Pick<TraceRow, 'seq' | 'id' | 'steps_text' | 'steps_layout'>>('SELECT seq, id, steps_text, steps_layout FROM traces WHERE seq > ? ORDER BY seq LIMIT ?', [after, BATCH]);
        for (const r of rows) score(tx, r);
        return rows.length ? rows[rows.length - 1].seq : undefined;
      }, { purpose: 'scoring traces' });
      if (last === undefined) break;
      after = last;
    }
    return { scored, missing };
  }
  for (let k = 0; k < ids.length; k += BATCH) {
    options.signal?.throwIfAborted();
    const chunk = ids.slice(k, k + BATCH);
    await store.write((tx) => {
      for (const id of chunk) {
        const row = tx.get<Pick<TraceRow, 'id' | 'steps_text' | 'steps_layout'>>('SELECT id, steps_text, steps_layout FROM traces WHERE id = ?', [id]);
        if (row) score(tx, row);
        else missing.push(id);
      }
    }, { purpose: 'scoring traces' });
  }
  return { scored, missing };
}
