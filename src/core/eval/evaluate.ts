// Evaluation: matches predictions to eval items by id, lets a judge decide each item, and
// returns every item's result with the scorecard. Ids that match nothing are counted (and
// sampled) so a user sees a mismatch instead of a silently low score.
import { UserError } from '../errors';
import type { EvalItem, ItemVerdict, Judge } from './judges/types';
import type { Prediction } from './predictions';
import { buildScorecard, groupingOf, type ItemResult, type Scorecard } from './scorecard';

export interface MatchReport {
  /** Items with no prediction (judged as missing: wrong for correctness judges). */
  items_without_prediction: number;
  /** Predictions whose id is no item's id (ignored). */
  predictions_without_item: number;
  /** Up to 5 ids of each kind, to show what did not line up. */
  sample_items_without_prediction: string[];
  sample_predictions_without_item: string[];
}

export interface EvaluationResult {
  judge: string;
  judge_kind: Judge['kind'];
  scorecard: Scorecard;
  items: ItemResult[];
  match: MatchReport;
}

export interface EvaluateOptions {
  signal?: AbortSignal;
  /** Called after each judged item (done, total). */
  onProgress?: (done: number, total: number) => void;
}

const SAMPLE = 5;

export function matchPredictions(items: EvalItem[], predictions: Prediction[]): { byId: Map<string, Prediction>; match: MatchReport } {
  const itemIds = new Set(items.map((i) => i.id));
  const byId = new Map(predictions.map((p) => [p.id, p]));
  const orphans = predictions.filter((p) => !itemIds.has(p.id)).map((p) => p.id);
  const missing = items.filter((i) => !byId.has(i.id)).map((i) => i.id);
  if (predictions.length > 0 && orphans.length === predictions.length) {
    throw new UserError(
      `None of the ${predictions.length} predictions matches an eval item id: predictions have ids like ${orphans
        .slice(0, 3)
        .map((x) => `"${x}"`)
        .join(', ')}, items like ${items
        .slice(0, 3)
        .map((i) => `"${i.id}"`)
        .join(', ')}. Check that both files come from the same dataset split.`,
    );
  }
  return {
    byId,
    match: {
      items_without_prediction: missing.length,
      predictions_without_item: orphans.length,
      sample_items_without_prediction: missing.slice(0, SAMPLE),
      sample_predictions_without_item: orphans.slice(0, SAMPLE),
    },
  };
}

export async function evaluate(items: EvalItem[], predictions: Prediction[], judge: Judge, opts: EvaluateOptions = {}): Promise<EvaluationResult> {
  if (items.length === 0) throw new UserError('There are no eval items to evaluate.');
  const { byId, match } = matchPredictions(items, predictions);
  const results: ItemResult[] = new Array(items.length);
  let done = 0;
  let next = 0;
  const record = (index: number, prediction: string | undefined, verdict: ItemVerdict) => {
    const item = items[index];
    results[index] = {
      item_id: item.id,
      prompt: item.prompt,
      expected: item.expected_answer,
      predicted: prediction ?? null,
      correct: verdict.correct,
      score: verdict.score,
      details: verdict.details,
      ...groupingOf(item),
    };
    done++;
    opts.onProgress?.(done, items.length);
  };
  const checkCancelled = () => {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('cancelled');
  };
  // Each worker takes the next item; a judge that answers synchronously is not awaited (an
  // await per item costs more than the string rules themselves), a network judge keeps
  // `concurrency` requests in flight.
  const worker = async () => {
    while (next < items.length) {
      if ((next & 1023) === 0 || judge.concurrency) checkCancelled();
      const index = next++;
      const prediction = byId.get(items[index].id)?.prediction;
      const verdict = judge.judge(items[index], prediction, { signal: opts.signal });
      record(index, prediction, verdict instanceof Promise ? await verdict : verdict);
    }
  };
  checkCancelled();
  await Promise.all(Array.from({ length: Math.max(1, judge.concurrency ?? 1) }, worker));
  return { judge: judge.id, judge_kind: judge.kind, scorecard: buildScorecard(judge.id, judge.kind, results), items: results, match };
}
