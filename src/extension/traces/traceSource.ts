// What the trace panels need from the database, as an interface so the panels stay thin and
// the store-facing code lives in one place (./traceActions.ts implements it).
import type { TraceDocument, TraceScoreView } from '../../shared/traceDocument';

export interface TraceSource {
  /** The trace as the webviews render it; a UserError when it is not in the database. */
  load(id: string): Promise<TraceDocument>;
  /** Computes and stores the baseline score of a trace, and returns it. */
  score(id: string): Promise<TraceScoreView>;
}
