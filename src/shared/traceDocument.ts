// What the trace webviews render: one stored trace, as the extension host sends it. Built by
// the host from the store's record (src/extension/traces/traceDocument.ts); the webviews never
// see the database. Plain JSON, so it survives postMessage and vscode.setState.
import type { TraceStep } from '../core/trace/types';

export interface TraceScoreView {
  /** The scoring criteria's name, e.g. "baseline" (tunix-rt's step count + step length score). */
  criteria: string;
  score: number;
  /** Highest possible score for these criteria (100 for the baseline). */
  max?: number;
  /** The parts of the score and the inputs they came from, e.g. { step_score: 20, steps: 4 }. */
  details: Record<string, string | number | boolean | null>;
  /** ISO 8601 time the score was computed. */
  scoredAt?: string;
}

export interface TraceDocument {
  id: string;
  /** The content hash used for deduplication (prompt + steps + answer). */
  contentHash: string;
  traceVersion: string;
  prompt: string;
  finalAnswer: string;
  steps: TraceStep[];
  meta: Record<string, unknown> | null;
  /** ISO 8601 time the trace was stored. */
  createdAt?: string;
  /** Where the trace was imported from, when the store knows it. */
  origin?: { file: string; line?: number };
  /** The stored scores, most recent first (the baseline among them once computed). */
  scores: TraceScoreView[];
}
