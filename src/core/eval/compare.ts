// Item-by-item comparison of evaluations (usually of different runs on the same eval set):
// which items the other runs fixed or broke relative to a reference run, how the scorecards
// moved, and whether the difference is more than chance (McNemar's exact test on the items
// that changed). Pure data in, pure data out: the CLI and the comparison webview render it.
import type { ItemResult, Scorecard } from './scorecard';

export interface ComparedEvaluation {
  /** The evaluation id. */
  id: string;
  /** What to call it in tables ("run 3f2a… · answer_correctness@v2"). */
  label: string;
  runId: string | null;
  judge: string;
  scorecard: Scorecard;
  items: ItemResult[];
}

/** How an item moved from the reference run to another run. */
export type ItemOutcome = 'fixed' | 'broken' | 'both_right' | 'both_wrong' | 'missing';
export const ITEM_OUTCOMES: readonly ItemOutcome[] = ['fixed', 'broken', 'both_right', 'both_wrong', 'missing'];

export interface ItemCell {
  predicted: string | null;
  correct: boolean;
  score: number;
}

export interface ItemComparisonRow {
  item_id: string;
  prompt: string;
  expected: string;
  category?: string;
  section?: string;
  difficulty?: string;
  /** One per evaluation, in order; null when that evaluation has no such item. */
  cells: Array<ItemCell | null>;
  /** One per evaluation after the reference (index 0): the outcome against the reference. */
  outcomes: ItemOutcome[];
}

export interface PairSummary {
  /** Index of the evaluation compared with the reference. */
  index: number;
  fixed: number;
  broken: number;
  both_right: number;
  both_wrong: number;
  /** Items present in only one of the two. */
  missing: number;
  /** primary_score minus the reference's. */
  delta: number;
  /** Two-sided exact McNemar p-value over fixed vs broken; 1 when nothing changed. */
  p_value: number;
}

export interface ItemComparison {
  rows: ItemComparisonRow[];
  pairs: PairSummary[];
  /** Set when the evaluations used different judges (their scores do not compare). */
  warnings: string[];
}

/**
 * Right or wrong for the comparison: a correctness judge's verdict, or for graded judges a
 * score of at least 0.5 (their item score is a degree, so a threshold is the only reading).
 */
function isRight(r: ItemResult): boolean {
  return r.correct ?? r.score >= 0.5;
}

function cellOf(r: ItemResult | undefined): ItemCell | null {
  return r ? { predicted: r.predicted, correct: isRight(r), score: r.score } : null;
}

export function outcomeOf(reference: ItemCell | null, other: ItemCell | null): ItemOutcome {
  if (!reference || !other) return 'missing';
  if (reference.correct) return other.correct ? 'both_right' : 'broken';
  return other.correct ? 'fixed' : 'both_wrong';
}

/** log of n choose k, via lgamma-free summation (exact enough for n up to millions). */
function logChoose(n: number, k: number): number {
  k = Math.min(k, n - k);
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/** Two-sided exact McNemar test: binomial(b + c, 1/2), P(X <= min(b, c)) doubled, capped at 1. */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

export function compareItems(evals: ComparedEvaluation[]): ItemComparison {
  if (evals.length < 2) throw new Error('compareItems needs at least two evaluations');
  const maps = evals.map((e) => new Map(e.items.map((r) => [r.item_id, r])));
  // Rows in the reference's order, then items only the others have, in their order.
  const order: string[] = [];
  const seen = new Set<string>();
  for (const e of evals) for (const r of e.items) if (!seen.has(r.item_id)) seen.add(r.item_id), order.push(r.item_id);
  const rows: ItemComparisonRow[] = order.map((id) => {
    const first = maps.map((m) => m.get(id)).find((r): r is ItemResult => !!r)!;
    const cells = maps.map((m) => cellOf(m.get(id)));
    const row: ItemComparisonRow = { item_id: id, prompt: first.prompt, expected: first.expected, cells, outcomes: cells.slice(1).map((c) => outcomeOf(cells[0], c)) };
    for (const key of ['category', 'section', 'difficulty'] as const) if (first[key] !== undefined) row[key] = first[key];
    return row;
  });
  const pairs: PairSummary[] = evals.slice(1).map((e, j) => {
    const counts = { fixed: 0, broken: 0, both_right: 0, both_wrong: 0, missing: 0 };
    for (const row of rows) counts[row.outcomes[j]]++;
    return { index: j + 1, ...counts, delta: e.scorecard.primary_score - evals[0].scorecard.primary_score, p_value: mcnemarExact(counts.fixed, counts.broken) };
  });
  const judges = [...new Set(evals.map((e) => e.judge))];
  const warnings = judges.length > 1 ? [`These evaluations used different judges (${judges.join(', ')}); their scores are not comparable.`] : [];
  return { rows, pairs, warnings };
}

export interface ScorecardDelta {
  index: number;
  primary_score: number;
  n_items: number;
  n_scored: number;
  /** Per breakdown key and group: the other's group score minus the reference's (groups both have). */
  breakdowns: Record<string, Record<string, number>>;
}

export function scorecardDeltas(evals: ComparedEvaluation[]): ScorecardDelta[] {
  const ref = evals[0].scorecard;
  return evals.slice(1).map((e, j) => {
    const sc = e.scorecard;
    const breakdowns: Record<string, Record<string, number>> = {};
    for (const [key, groups] of Object.entries(sc.breakdowns)) {
      const refGroups = ref.breakdowns[key as keyof Scorecard['breakdowns']];
      if (!refGroups || !groups) continue;
      breakdowns[key] = Object.fromEntries(Object.entries(groups).filter(([g]) => g in refGroups).map(([g, s]) => [g, s.primary_score - refGroups[g].primary_score]));
    }
    return { index: j + 1, primary_score: sc.primary_score - ref.primary_score, n_items: sc.n_items - ref.n_items, n_scored: sc.n_scored - ref.n_scored, breakdowns };
  });
}

/** Flattens nested objects to dotted keys; arrays and scalars are leaves. */
export function flattenConfig(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out[prefix] = {};
    for (const [k, v] of entries) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}

export interface ConfigDifference {
  key: string;
  /** One per config; undefined when that config lacks the key. */
  values: unknown[];
}

/** Keys whose values differ between the configs (a key absent from some counts as differing). */
export function configDifferences(configs: unknown[], ignore: readonly string[] = ['run_id']): { differences: ConfigDifference[]; same: number } {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].filter((k) => !ignore.includes(k)).sort();
  const differences: ConfigDifference[] = [];
  let same = 0;
  for (const key of keys) {
    const values = flat.map((f) => f[key]);
    const texts = values.map((v) => (v === undefined ? '\u0000absent' : JSON.stringify(v)));
    if (texts.every((t) => t === texts[0])) same++;
    else differences.push({ key, values });
  }
  return { differences, same };
}
