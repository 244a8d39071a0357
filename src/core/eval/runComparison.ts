// Everything the run comparison view shows, built from the store and the run folders:
// the evaluations side by side (the first is the reference), their scorecards and deltas,
// the item table (fixed / broken / both right / both wrong), the config keys that differ and
// the training curves (min/max decimated, so long runs stay light to send and draw).
import { UserError } from '../errors';
import type { Store } from '../store/store';
import { decimateMinMax } from '../run/decimate';
import { readRunMetrics } from '../run/metricsSource';
import { getRun } from '../run/runStore';
import { seriesNames } from '../run/metricsReader';
import { compareItems, configDifferences, scorecardDeltas, type ComparedEvaluation, type ConfigDifference, type ItemComparison, type ScorecardDelta } from './compare';
import type { Scorecard } from './scorecard';
import { getEvaluation, getItemResults, latestEvaluationOfRun } from './store/evaluations';

export interface ComparedRunInfo {
  evaluationId: string;
  runId: string | null;
  runName: string | null;
  label: string;
  judge: string;
  datasetKey: string | null;
  model: string | null;
  itemsSource: string;
  evaluatedAt: string;
  scorecard: Scorecard;
  /** False when the run's record is gone (deleted) or the evaluation came from files. */
  runExists: boolean;
}

export interface MetricCurve {
  /** Index into `runs`. */
  run: number;
  name: string;
  x: number[];
  y: number[];
}

export interface RunComparison {
  runs: ComparedRunInfo[];
  deltas: ScorecardDelta[];
  items: ItemComparison;
  config: { differences: ConfigDifference[]; same: number };
  /** Series names present in at least one run, loss first. */
  metricNames: string[];
  curves: MetricCurve[];
}

export interface BuildComparisonOptions {
  /** Points per curve after decimation (about the chart's width). Default 600. */
  buckets?: number;
}

/** "run-2025…-ab12 · sft_transformer 2L·64d·4h" or the predictions file for file evaluations. */
function labelOf(e: { runId: string | null; runName: string | null; predictionsSource: string }): string {
  if (e.runId) return e.runName ? `${e.runName} (${e.runId})` : e.runId;
  return e.predictionsSource.split(/[\\/]/).slice(-2).join('/');
}

/**
 * Resolves what a user picked (evaluation ids, or run ids meaning their latest evaluation,
 * by `judge` when given) to evaluation ids, in order.
 */
export function resolveComparedEvaluations(store: Store, refs: readonly string[], judge?: string): string[] {
  return store.read((q) =>
    refs.map((ref) => {
      if (getEvaluation(q, ref)) return ref;
      const latest = latestEvaluationOfRun(q, ref, judge);
      if (latest) return latest.id;
      throw new UserError(`"${ref}" is neither an evaluation nor an evaluated run${judge ? ` (judge ${judge})` : ''}; evaluate the run first ("Tunix: Evaluate Run...").`);
    }),
  );
}

export async function buildRunComparison(store: Store, evaluationIds: readonly string[], opts: BuildComparisonOptions = {}): Promise<RunComparison> {
  if (evaluationIds.length < 2) throw new UserError('Pick at least two evaluated runs to compare.');
  if (new Set(evaluationIds).size !== evaluationIds.length) throw new UserError('The same evaluation was picked twice; pick different runs.');
  const loaded = store.read((q) =>
    evaluationIds.map((id) => {
      const summary = getEvaluation(q, id);
      if (!summary) throw new UserError(`Evaluation ${id} is no longer in the database (it may have been deleted).`);
      const run = summary.runId ? getRun(q, summary.runId) : undefined;
      return { summary, items: getItemResults(q, id), run };
    }),
  );
  const compared: ComparedEvaluation[] = loaded.map(({ summary, items }) => ({
    id: summary.id,
    label: labelOf(summary),
    runId: summary.runId,
    judge: summary.judge,
    scorecard: summary.scorecard,
    items,
  }));
  const buckets = opts.buckets ?? 600;
  const curves: MetricCurve[] = [];
  for (let i = 0; i < loaded.length; i++) {
    const run = loaded[i].run;
    if (!run) continue;
    const { points } = await readRunMetrics(run.runDir);
    for (const name of seriesNames(points)) {
      const xs: number[] = [];
      const ys: number[] = [];
      for (const p of points) {
        const v = p.values[name];
        if (v !== undefined && Number.isFinite(v)) xs.push(p.step), ys.push(v);
      }
      const d = decimateMinMax({ x: xs, y: ys }, { buckets });
      curves.push({ run: i, name, x: d.x, y: d.y });
    }
  }
  const names = seriesNames(curves.map((c) => ({ step: 0, values: { [c.name]: 0 } })));
  const items = compareItems(compared);
  const sources = [...new Set(loaded.map((l) => l.summary.itemsSource))];
  if (sources.length > 1) items.warnings.push(`The runs were evaluated on different eval sets (${sources.join('; ')}); items present in only one count as missing.`);
  return {
    runs: loaded.map(({ summary, run }, i) => ({
      evaluationId: summary.id,
      runId: summary.runId,
      runName: summary.runName,
      label: compared[i].label,
      judge: summary.judge,
      datasetKey: summary.datasetKey,
      model: summary.model,
      itemsSource: summary.itemsSource,
      evaluatedAt: summary.createdAt,
      scorecard: summary.scorecard,
      runExists: !!run,
    })),
    deltas: scorecardDeltas(compared),
    items,
    config: configDifferences(loaded.map(({ run }) => run?.config ?? {})),
    metricNames: names,
    curves,
  };
}
