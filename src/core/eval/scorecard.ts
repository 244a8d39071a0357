// The scorecard of an evaluation: how many items, how many had a prediction, the primary
// score (0-1, the mean item score with a missing prediction counting 0: tunix-rt's
// correct / items), its spread and a 95 % interval, and the same per section, category and
// difficulty.
import type { EvalItem } from './judges/types';

export interface ItemResult {
  item_id: string;
  prompt: string;
  expected: string;
  /** null when there was no prediction for the item. */
  predicted: string | null;
  /** null for graded judges. */
  correct: boolean | null;
  /** 0..1. */
  score: number;
  details: Record<string, unknown>;
  section?: string;
  category?: string;
  difficulty?: string;
}

export interface GroupScore {
  n_items: number;
  n_scored: number;
  primary_score: number;
}

export const BREAKDOWN_KEYS = ['section', 'category', 'difficulty'] as const;
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number];
/** The bucket of items that lack the field, in a breakdown where others have it. */
export const UNSPECIFIED = '(unspecified)';

export interface Scorecard {
  judge: string;
  n_items: number;
  /** Items that had a prediction (and so were judged on it). */
  n_scored: number;
  /** Correctness judges only: items judged right. */
  n_correct: number | null;
  /** Mean item score over all n_items, in [0, 1]. */
  primary_score: number;
  /** Population standard deviation of the item scores. */
  stddev: number;
  min: number;
  max: number;
  /** 95 % interval of primary_score: Wilson's for right/wrong judges, normal otherwise. */
  ci95: [number, number];
  /** Only the keys some item has; each maps value -> its scores. */
  breakdowns: Partial<Record<BreakdownKey, Record<string, GroupScore>>>;
}

function wilson(successes: number, n: number): [number, number] {
  if (n === 0) return [0, 0];
  const z = 1.959963984540054;
  const p = successes / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function groupScore(results: ItemResult[]): GroupScore {
  const total = results.reduce((s, r) => s + r.score, 0);
  return { n_items: results.length, n_scored: results.filter((r) => r.predicted !== null).length, primary_score: results.length ? total / results.length : 0 };
}

export function buildScorecard(judge: string, kind: 'correctness' | 'graded', results: ItemResult[]): Scorecard {
  const n = results.length;
  const scores = results.map((r) => r.score);
  const mean = n ? scores.reduce((a, b) => a + b, 0) / n : 0;
  const variance = n ? scores.reduce((s, x) => s + (x - mean) ** 2, 0) / n : 0;
  const stddev = Math.sqrt(variance);
  const nCorrect = kind === 'correctness' ? results.filter((r) => r.correct === true).length : null;
  const half = n ? (1.959963984540054 * stddev) / Math.sqrt(n) : 0;
  const ci95: [number, number] = nCorrect !== null ? wilson(nCorrect, n) : [Math.max(0, mean - half), Math.min(1, mean + half)];
  const breakdowns: Scorecard['breakdowns'] = {};
  for (const key of BREAKDOWN_KEYS) {
    if (!results.some((r) => r[key] !== undefined)) continue;
    const groups = new Map<string, ItemResult[]>();
    for (const r of results) {
      const g = r[key] ?? UNSPECIFIED;
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push(r);
    }
    const sorted = [...groups.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    breakdowns[key] = Object.fromEntries(sorted.map((g) => [g, groupScore(groups.get(g)!)]));
  }
  return {
    judge,
    n_items: n,
    n_scored: results.filter((r) => r.predicted !== null).length,
    n_correct: nCorrect,
    primary_score: mean,
    stddev,
    // A loop, not Math.min(...scores): spreading 100k+ arguments overflows the stack.
    min: n ? scores.reduce((a, b) => (b < a ? b : a)) : 0,
    max: n ? scores.reduce((a, b) => (b > a ? b : a)) : 0,
    ci95,
    breakdowns,
  };
}

/** Copies the breakdown fields of an item onto its result. */
export function groupingOf(item: EvalItem): Pick<ItemResult, BreakdownKey> {
  const out: Pick<ItemResult, BreakdownKey> = {};
  for (const key of BREAKDOWN_KEYS) if (item[key] !== undefined) out[key] = item[key];
  return out;
}
