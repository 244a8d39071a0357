// Turns a stored trace into what the trace webviews render (src/shared/traceDocument.ts).
import type { StoredScore, StoredTrace } from '../../core/store';
import type { TraceDocument, TraceScoreView } from '../../shared/traceDocument';

/** Highest score of each known criteria (the baseline is out of 100). */
const MAX_SCORE: Record<string, number> = { baseline: 100 };

export function toScoreView(s: StoredScore): TraceScoreView {
  const details: TraceScoreView['details'] = {};
  for (const [k, v] of Object.entries(s.details ?? {})) {
    // The criteria's name is shown beside the score already.
    if (k === 'criteria') continue;
    details[k] = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
  }
  return { criteria: s.criteria, score: s.score, max: MAX_SCORE[s.criteria], details, scoredAt: s.scoredAt };
}

/** "path/to/file.jsonl:12" -> { file, line }. */
export function parseOrigin(origin: string | null): TraceDocument['origin'] {
  if (!origin) return undefined;
  const m = /^(.*):(\d+)$/.exec(origin);
  return m ? { file: m[1], line: Number(m[2]) } : { file: origin };
}

export function toTraceDocument(t: StoredTrace): TraceDocument {
  const scores = t.scores.map(toScoreView).sort((a, b) => (a.criteria === 'baseline' ? -1 : b.criteria === 'baseline' ? 1 : a.criteria.localeCompare(b.criteria)));
  return {
    id: t.id,
    contentHash: t.contentHash,
    traceVersion: t.record.trace_version,
    prompt: t.record.prompt,
    finalAnswer: t.record.final_answer,
    steps: t.record.steps,
    meta: t.record.meta ?? null,
    createdAt: t.importedAt,
    origin: parseOrigin(t.origin),
    scores,
  };
}
