// How a trace record maps to a `traces` row and back, and the shapes the traces API returns.
import { contentHash } from '../../trace/hash';
import type { TraceRecord, TraceStep } from '../../trace/types';

/** A record ready to insert: everything computed in JS (ids, hashes, timestamps are bound, never made in SQL). */
export interface PreparedTrace {
  id: string;
  contentHash: string;
  traceVersion: string;
  prompt: string;
  stepsText: string;
  stepsLayout: string;
  finalAnswer: string;
  meta: string | null;
  source: string;
  category: string;
  stepCount: number;
  /** Where it came from, e.g. "data/train.jsonl:12". */
  origin: string | null;
  /** Whether `id` came from the record (true) or was derived from the content hash. */
  ownId: boolean;
}

/** One row of a list: enough for a tree item, a quick pick or a table. */
export interface TraceSummary {
  id: string;
  source: string;
  category: string;
  /** The prompt's first 200 characters (one line). */
  promptPreview: string;
  /** The final answer's first 200 characters (one line). */
  answerPreview: string;
  stepCount: number;
  traceVersion: string;
  importedAt: string;
  /** The baseline score when the trace has been scored. */
  score: number | null;
}

export interface StoredScore {
  criteria: string;
  score: number;
  details: Record<string, unknown> | null;
  scoredAt: string;
}

/** A whole stored trace: the record as imported plus what the store knows about it. */
export interface StoredTrace {
  id: string;
  record: TraceRecord & { id: string };
  contentHash: string;
  source: string;
  category: string;
  importedAt: string;
  origin: string | null;
  scores: StoredScore[];
}

/** The prefix of ids the store makes for records without their own. */
export const GENERATED_ID_PREFIX = 'tr-';

function metaString(meta: Record<string, unknown> | null | undefined, ...keys: string[]): string {
  if (!meta) return '';
  for (const k of keys) {
    const v = meta[k];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  return '';
}

/**
 * Computes the row of a valid record. The id is the record's own, else derived from the
 * content hash (so the same trace gets the same id in every database, and re-importing it
 * is recognised as a duplicate).
 */
export function prepareTrace(record: TraceRecord, origin: string | null = null, hash = contentHash(record)): PreparedTrace {
  const steps = record.steps;
  const layout: Array<[number, string, number]> = new Array(steps.length);
  const texts: string[] = new Array(steps.length);
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k];
    layout[k] = [s.i, s.type, s.content.length];
    texts[k] = s.content;
  }
  const meta = record.meta ?? null;
  const ownId = typeof record.id === 'string' && record.id !== '';
  return {
    id: ownId ? (record.id as string) : GENERATED_ID_PREFIX + hash.slice(0, 20),
    contentHash: hash,
    traceVersion: record.trace_version,
    prompt: record.prompt,
    stepsText: texts.join('\n'),
    stepsLayout: JSON.stringify(layout),
    finalAnswer: record.final_answer,
    meta: meta === null ? null : JSON.stringify(meta),
    // tunix-rt data names the collection `dataset` where others say `source`.
    source: metaString(meta, 'source', 'dataset'),
    category: metaString(meta, 'category'),
    stepCount: steps.length,
    origin,
    ownId,
  };
}

/** Rebuilds the steps from `steps_text` + `steps_layout` (contents may themselves hold "\n"). */
export function rebuildSteps(stepsText: string, stepsLayout: string): TraceStep[] {
  const layout = JSON.parse(stepsLayout) as Array<[number, string, number]>;
  const steps: TraceStep[] = new Array(layout.length);
  let at = 0;
  for (let k = 0; k < layout.length; k++) {
    const [i, type, length] = layout[k];
    steps[k] = { i, type, content: stepsText.slice(at, at + length) };
    at += length + 1;
  }
  return steps;
}

export interface TraceRow {
  seq: number;
  id: string;
  content_hash: string;
  trace_version: string;
  prompt: string;
  steps_text: string;
  steps_layout: string;
  final_answer: string;
  meta: string | null;
  source: string;
  category: string;
  step_count: number;
  imported_at: string;
  origin: string | null;
}

export function rowToRecord(row: TraceRow): TraceRecord & { id: string } {
  const record: TraceRecord & { id: string } = {
    id: row.id,
    trace_version: row.trace_version,
    prompt: row.prompt,
    final_answer: row.final_answer,
    steps: rebuildSteps(row.steps_text, row.steps_layout),
  };
  if (row.meta !== null) record.meta = JSON.parse(row.meta) as Record<string, unknown>;
  return record;
}

export function preview(text: string, max = 200): string {
  const flat = text.length > max * 2 ? text.slice(0, max * 2) : text;
  const one = flat.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}
