// Regression baselines in the store: set one from a run (its evaluation score or a training
// metric), list them, check a run against them (every check is recorded, so views can show
// the last verdict). The rules of a check are in regression.ts.
import { randomUUID } from 'node:crypto';
import { UserError } from '../errors';
import type { Reader, Store } from '../store/store';
import { getRun } from '../run/runStore';
import type { RunRecord } from '../run/types';
import { checkValue, defaultDirection, type Baseline, type CheckResult, type Direction, type ToleranceKind } from './regression';
import { finalTrainingMetrics } from './runFacts';
import { latestEvaluationOfRun, listEvaluations, type EvaluationSummary } from './store/evaluations';
import './store/schema';

/** Metrics read from a run's evaluation (by a judge); every other name is a training metric. */
export const EVALUATION_METRICS = ['primary_score'] as const;

export function isEvaluationMetric(metric: string): boolean {
  return (EVALUATION_METRICS as readonly string[]).includes(metric);
}

interface BaselineRow {
  metric: string;
  judge: string;
  run_id: string;
  evaluation_id: string | null;
  value: number;
  direction: Direction;
  tolerance: number;
  tolerance_kind: ToleranceKind;
  created_at: string;
}

const toBaseline = (r: BaselineRow): Baseline => ({
  metric: r.metric,
  judge: r.judge,
  runId: r.run_id,
  evaluationId: r.evaluation_id,
  value: r.value,
  direction: r.direction,
  tolerance: r.tolerance,
  toleranceKind: r.tolerance_kind,
  createdAt: r.created_at,
});

export function listBaselines(q: Reader): Baseline[] {
  return q.all<BaselineRow>('SELECT * FROM eval_baselines ORDER BY metric, judge').map(toBaseline);
}

export interface MetricValue {
  value: number;
  /** The evaluation it came from (evaluation metrics). */
  evaluation?: EvaluationSummary;
}

/** The judge to use for a run's evaluation metric: the given one, else the only one it was evaluated with. */
function pickJudge(q: Reader, runId: string, judge: string | undefined): string {
  if (judge) return judge;
  const judges = [...new Set(listEvaluations(q, { runId }).map((e) => e.judge))];
  if (judges.length === 0) throw new UserError(`Run ${runId} has not been evaluated yet; run \`tunix-rt eval ${runId} --db PATH\` first.`);
  if (judges.length > 1) throw new UserError(`Run ${runId} was evaluated with several judges (${judges.join(', ')}); choose one with --judge.`);
  return judges[0];
}

async function metricValue(store: Store, run: Pick<RunRecord, 'id' | 'runDir'> | undefined, runId: string, metric: string, judge: string): Promise<MetricValue> {
  if (isEvaluationMetric(metric)) {
    const evaluation = store.read((q) => latestEvaluationOfRun(q, runId, judge));
    if (!evaluation) throw new UserError(`Run ${runId} has no evaluation by ${judge}; run \`tunix-rt eval ${runId} --db PATH --judge ${judge}\` first.`);
    return { value: evaluation.scorecard.primary_score, evaluation };
  }
  if (!run) throw new UserError(`Run ${runId} is not in this database, so its training metric "${metric}" cannot be read.`);
  const metrics = await finalTrainingMetrics(run.runDir);
  const value = metrics[metric];
  if (value === undefined) {
    const names = Object.keys(metrics);
    throw new UserError(
      `Run ${runId} logged no "${metric}" metric. ${names.length ? `It has: ${names.sort().join(', ')}; or use primary_score (its evaluation).` : 'It has no training metrics yet; use primary_score (its evaluation).'}`,
    );
  }
  return { value };
}

export interface SetBaselineOptions {
  runId: string;
  metric: string;
  /** For evaluation metrics; defaults to the judge the run was evaluated with. */
  judge?: string;
  direction?: Direction;
  tolerance: number;
  toleranceKind: ToleranceKind;
  createdAt?: string;
}

/** Sets (or replaces) the baseline of a metric (and judge) to this run's current value. */
export async function setBaseline(store: Store, opts: SetBaselineOptions): Promise<Baseline> {
  const direction = opts.direction ?? defaultDirection(opts.metric);
  if (!direction) throw new UserError(`Is a higher or a lower "${opts.metric}" better? Say so with --higher-is-better or --lower-is-better.`);
  if (!Number.isFinite(opts.tolerance) || opts.tolerance < 0) throw new UserError(`The tolerance must be a number >= 0, got ${opts.tolerance}.`);
  const run = store.read((q) => getRun(q, opts.runId));
  const evalMetric = isEvaluationMetric(opts.metric);
  const judge = evalMetric ? store.read((q) => pickJudge(q, opts.runId, opts.judge)) : '';
  if (!evalMetric && opts.judge) throw new UserError(`--judge applies to evaluation metrics (${EVALUATION_METRICS.join(', ')}), not to the training metric "${opts.metric}".`);
  if (!run && !evalMetric) throw new UserError(`No run "${opts.runId}" in this database.`);
  const { value, evaluation } = await metricValue(store, run, opts.runId, opts.metric, judge);
  const baseline: Baseline = {
    metric: opts.metric,
    judge,
    runId: opts.runId,
    evaluationId: evaluation?.id ?? null,
    value,
    direction,
    tolerance: opts.tolerance,
    toleranceKind: opts.toleranceKind,
    createdAt: opts.createdAt ?? new Date().toISOString(),
  };
  await store.write((tx) =>
    tx.run(
      `INSERT INTO eval_baselines (metric, judge, run_id, evaluation_id, value, direction, tolerance, tolerance_kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(metric, judge) DO UPDATE SET run_id = excluded.run_id, evaluation_id = excluded.evaluation_id, value = excluded.value,
         direction = excluded.direction, tolerance = excluded.tolerance, tolerance_kind = excluded.tolerance_kind, created_at = excluded.created_at`,
      [baseline.metric, baseline.judge, baseline.runId, baseline.evaluationId, baseline.value, baseline.direction, baseline.tolerance, baseline.toleranceKind, baseline.createdAt],
    ),
  );
  return baseline;
}

/**
 * Removes the baseline of a metric. For an evaluation metric without a judge, the only
 * baseline of that metric is meant; several (one per judge) need the judge named.
 */
export async function removeBaseline(store: Store, metric: string, judge?: string): Promise<boolean> {
  let key = judge ?? '';
  if (judge === undefined && isEvaluationMetric(metric)) {
    const judges = store.read((q) => q.all<{ judge: string }>('SELECT judge FROM eval_baselines WHERE metric = ?', [metric])).map((r) => r.judge);
    if (judges.length > 1) throw new UserError(`${metric} has baselines for several judges (${judges.join(', ')}); choose one with --judge.`);
    key = judges[0] ?? '';
  }
  return store.write((tx) => tx.run('DELETE FROM eval_baselines WHERE metric = ? AND judge = ?', [metric, key]).changes > 0);
}

/** True when this run id has stored evaluations (a run deleted from the runs table still may). */
export function hasEvaluations(q: Reader, runId: string): boolean {
  return !!q.get('SELECT 1 AS x FROM eval_evaluations WHERE run_id = ? LIMIT 1', [runId]);
}

export interface CheckOptions {
  runId: string;
  /** Only the baselines of this metric (default: every baseline). */
  metric?: string;
  judge?: string;
  /** Record the checks in the database (default true). */
  record?: boolean;
}

export interface CheckReport {
  runId: string;
  verdict: 'pass' | 'regressed';
  checks: Array<CheckResult & { warnings: string[] }>;
}

/** Checks a run against the baselines; the verdict regresses when any check does. */
export async function checkRun(store: Store, opts: CheckOptions): Promise<CheckReport> {
  const baselines = store.read((q) => listBaselines(q)).filter((b) => (!opts.metric || b.metric === opts.metric) && (opts.judge === undefined || b.judge === opts.judge));
  if (baselines.length === 0) {
    const what = opts.metric ? ` for ${opts.metric}${opts.judge ? ` (${opts.judge})` : ''}` : '';
    throw new UserError(`No regression baseline${what} is set. Set one with \`tunix-rt baseline set RUN_ID --db PATH --metric ${opts.metric ?? 'primary_score'}\`.`);
  }
  const run = store.read((q) => getRun(q, opts.runId));
  const checks: CheckReport['checks'] = [];
  for (const b of baselines) {
    const { value, evaluation } = await metricValue(store, run, opts.runId, b.metric, b.judge);
    const warnings: string[] = [];
    if (evaluation && b.evaluationId) {
      const base = store.read((q) => q.get<{ items_source: string; n_items: number }>('SELECT items_source, n_items FROM eval_evaluations WHERE id = ?', [b.evaluationId!]));
      if (base && (base.items_source !== evaluation.itemsSource || base.n_items !== evaluation.scorecard.n_items)) {
        warnings.push(`The run was evaluated on ${evaluation.itemsSource} (${evaluation.scorecard.n_items} items), the baseline on ${base.items_source} (${base.n_items} items): the scores may not compare.`);
      }
    }
    checks.push({ ...checkValue(b, opts.runId, value), warnings });
  }
  const verdict = checks.some((c) => c.verdict === 'regressed') ? 'regressed' : 'pass';
  if (opts.record !== false) {
    const at = new Date().toISOString();
    await store.write((tx) => {
      for (const c of checks) {
        tx.run(
          'INSERT INTO eval_checks (id, metric, judge, run_id, baseline_run_id, value, baseline_value, verdict, message, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [randomUUID(), c.metric, c.judge, c.runId, c.baselineRunId, c.value, c.baselineValue, c.verdict, c.message, at],
        );
      }
    });
  }
  return { runId: opts.runId, verdict, checks };
}

export interface RecordedCheck {
  metric: string;
  judge: string;
  runId: string;
  verdict: 'pass' | 'regressed';
  message: string;
  checkedAt: string;
}

/** The latest recorded check per metric and judge for a run (views show these as badges). */
export function lastChecksOfRun(q: Reader, runId: string): RecordedCheck[] {
  return q
    .all<{ metric: string; judge: string; run_id: string; verdict: 'pass' | 'regressed'; message: string; checked_at: string }>(
      `SELECT metric, judge, run_id, verdict, message, checked_at FROM (
         SELECT *, row_number() OVER (PARTITION BY metric, judge ORDER BY checked_at DESC, id DESC) AS rn FROM eval_checks WHERE run_id = ?) WHERE rn = 1 ORDER BY metric, judge`,
      [runId],
    )
    .map((r) => ({ metric: r.metric, judge: r.judge, runId: r.run_id, verdict: r.verdict, message: r.message, checkedAt: r.checked_at }));
}

/** The latest recorded check per run, metric and judge, for every run (the leaderboard's badges). */
export function latestChecks(q: Reader): Map<string, RecordedCheck[]> {
  const out = new Map<string, RecordedCheck[]>();
  for (const r of q.all<{ metric: string; judge: string; run_id: string; verdict: 'pass' | 'regressed'; message: string; checked_at: string }>(
    `SELECT metric, judge, run_id, verdict, message, checked_at FROM (
       SELECT *, row_number() OVER (PARTITION BY run_id, metric, judge ORDER BY checked_at DESC, id DESC) AS rn FROM eval_checks) WHERE rn = 1 ORDER BY run_id, metric, judge`,
  )) {
    const list = out.get(r.run_id) ?? [];
    list.push({ metric: r.metric, judge: r.judge, runId: r.run_id, verdict: r.verdict, message: r.message, checkedAt: r.checked_at });
    out.set(r.run_id, list);
  }
  return out;
}
