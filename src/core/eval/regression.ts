// Regression gates: a baseline is one run's value of one metric, with a direction (higher or
// lower is better) and a tolerance; checking another run says pass or regress, with the
// numbers and one sentence that reads well in CI logs and in the UI.
// tunix-rt kept baselines by name with a fixed 5 % relative tolerance; here the tolerance is
// the user's, absolute (0.02 = two points of a 0-1 score) or relative (5%).
import { UserError } from '../errors';

export type Direction = 'higher' | 'lower';
export type ToleranceKind = 'absolute' | 'relative';

export interface Baseline {
  /** `primary_score` (an evaluation's) or a training metric's name (`loss`, `eval_loss`, ...). */
  metric: string;
  /** For evaluation metrics: the judge whose scores are compared; '' for training metrics. */
  judge: string;
  runId: string;
  /** The evaluation the value came from (evaluation metrics). */
  evaluationId: string | null;
  /** The metric's value for the baseline run when it was set (later re-evaluations do not move it). */
  value: number;
  direction: Direction;
  tolerance: number;
  toleranceKind: ToleranceKind;
  createdAt: string;
}

export type Verdict = 'pass' | 'regressed';

export interface CheckResult {
  metric: string;
  judge: string;
  runId: string;
  baselineRunId: string;
  value: number;
  baselineValue: number;
  /** value - baselineValue. */
  delta: number;
  /** The worst value that still passes. */
  threshold: number;
  direction: Direction;
  tolerance: number;
  toleranceKind: ToleranceKind;
  verdict: Verdict;
  /** True when the run is better than the baseline by more than the tolerance. */
  improved: boolean;
  /** One sentence: "PASS: primary_score 0.812 >= 0.790 (baseline 0.800 of run X, tolerance 0.01)". */
  message: string;
}

/** Metrics whose name says lower is better; anything else needs the user to say. */
const LOWER_IS_BETTER = /(^|[._])(loss|error|err|perplexity|ppl|latency|time|seconds|ms|wer|cer)($|[._])/i;

export function defaultDirection(metric: string): Direction | undefined {
  if (metric === 'primary_score') return 'higher';
  if (LOWER_IS_BETTER.test(metric)) return 'lower';
  return undefined;
}

/** Parses a tolerance: "0.02" (absolute) or "5%" (relative to the baseline value). */
export function parseTolerance(text: string): { tolerance: number; toleranceKind: ToleranceKind } {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (!m) throw new UserError(`Tolerance "${text}" is not a number: use an absolute amount such as 0.02, or a percentage of the baseline value such as 5%.`);
  const n = Number(m[1]);
  return m[2] ? { tolerance: n / 100, toleranceKind: 'relative' } : { tolerance: n, toleranceKind: 'absolute' };
}

export function formatTolerance(b: Pick<Baseline, 'tolerance' | 'toleranceKind'>): string {
  return b.toleranceKind === 'relative' ? `${+(b.tolerance * 100).toFixed(6)}%` : String(b.tolerance);
}

function fmt(x: number): string {
  return Math.abs(x) >= 1000 || (Math.abs(x) < 0.001 && x !== 0) ? x.toPrecision(4) : String(+x.toFixed(4));
}

export function thresholdOf(b: Pick<Baseline, 'value' | 'direction' | 'tolerance' | 'toleranceKind'>): number {
  const slack = b.toleranceKind === 'relative' ? Math.abs(b.value) * b.tolerance : b.tolerance;
  return b.direction === 'higher' ? b.value - slack : b.value + slack;
}

export function checkValue(baseline: Baseline, runId: string, value: number): CheckResult {
  if (!Number.isFinite(value)) throw new UserError(`Run ${runId} has no finite value of ${baseline.metric} to check (found ${value}).`);
  const threshold = thresholdOf(baseline);
  // A hair of slack for values that are equal but were computed along different paths.
  const eps = 1e-12 * Math.max(1, Math.abs(threshold));
  const pass = baseline.direction === 'higher' ? value >= threshold - eps : value <= threshold + eps;
  // The mirror image of the threshold: better than the baseline by more than the tolerance.
  const improvedThreshold = 2 * baseline.value - threshold;
  const improved = baseline.direction === 'higher' ? value > improvedThreshold + eps : value < improvedThreshold - eps;
  const op = baseline.direction === 'higher' ? (pass ? '>=' : '<') : pass ? '<=' : '>';
  const what = baseline.judge ? `${baseline.metric} (${baseline.judge})` : baseline.metric;
  const message =
    `${pass ? 'PASS' : 'REGRESSED'}: ${what} of run ${runId} is ${fmt(value)}, ${op} ${fmt(threshold)} ` +
    `(baseline ${fmt(baseline.value)} from run ${baseline.runId}, ${baseline.direction} is better, tolerance ${formatTolerance(baseline)}).`;
  return {
    metric: baseline.metric,
    judge: baseline.judge,
    runId,
    baselineRunId: baseline.runId,
    value,
    baselineValue: baseline.value,
    delta: value - baseline.value,
    threshold,
    direction: baseline.direction,
    tolerance: baseline.tolerance,
    toleranceKind: baseline.toleranceKind,
    verdict: pass ? 'pass' : 'regressed',
    improved,
    message,
  };
}
