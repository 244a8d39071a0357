// The demo's learning half: `train` starts a real run of the built-in recipe on the demo
// dataset through the run engine (the same path as `tunix-rt train`) and follows it on
// stderr; `evaluate` judges the run's predictions on its test split and stores the
// evaluations, so the leaderboard and the VS Code views show them; `register` registers the
// run's model as a version in the model registry (the Models view).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliRunEngine } from '../runEngine';
import type { RunEngine } from '../../core/run/engine';
import { formatNumber } from '../../core/run/format';
import { parseMetricsLines } from '../../core/run/metricsReader';
import { runFiles } from '../../core/run/runFolder';
import type { RunRecord } from '../../core/run/types';
import { UserError } from '../../core/errors';
import type { DemoStage } from './demo';
import { runInForeground } from './train';

/** What the train stage leaves on `ctx.state` for the evaluate stage and the final hints. */
export interface DemoRunState {
  runId: string;
  runDir: string;
}

/** The median of the trainer's throughput lines (the first interval includes compilation). */
function medianTokensPerSecond(metricsFile: string): number | null {
  if (!fs.existsSync(metricsFile)) return null;
  const { points } = parseMetricsLines(fs.readFileSync(metricsFile, 'utf8').split('\n'));
  const values = points.map((p) => p.values.tokens_per_second).filter((v): v is number => Number.isFinite(v)).sort((a, b) => a - b);
  if (!values.length) return null;
  return values[Math.floor(values.length / 2)];
}

function lastValue(metricsFile: string, name: string): number | null {
  if (!fs.existsSync(metricsFile)) return null;
  const { points } = parseMetricsLines(fs.readFileSync(metricsFile, 'utf8').split('\n'));
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i].values[name];
    if (Number.isFinite(v)) return v;
  }
  return null;
}

function seconds(r: RunRecord): number | null {
  return r.startedAt && r.endedAt ? (Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000 : null;
}

export const trainStage: DemoStage = {
  name: 'train',
  title: 'Train the built-in transformer on it',
  async run(ctx) {
    if (!ctx.datasetKey) throw new Error('The train stage needs the dataset stage before it.');
    const o = ctx.options;
    const store = await ctx.store();
    const overrides = [`training.steps=${o.steps}`, ...o.overrides];
    let engine: RunEngine | undefined;
    try {
      engine = cliRunEngine(store, ctx.io, { databasePath: ctx.dbPath, heartbeatTimeoutMs: 120_000, log: (m) => ctx.io.err(`${m}\n`) });
      const run = await engine.submit({ datasetKey: ctx.datasetKey, recipe: 'sft_transformer', backend: o.backend, overrides, name: `demo: sft_transformer on ${ctx.datasetKey}` });
      ctx.state.run = { runId: run.id, runDir: run.runDir } satisfies DemoRunState;
      if (!ctx.quiet) ctx.io.err(`      run ${run.id} in ${run.runDir}\n`);
      const final = await runInForeground(engine, run.id, ctx.io);
      if (final.status !== 'completed') {
        const why = final.outcome?.reason ?? final.status;
        const log = final.outcome?.lastLogLines?.length ? `\n  last log lines:\n${final.outcome.lastLogLines.map((l) => `    ${l}`).join('\n')}` : '';
        throw new UserError(`run ${final.id} ${final.status}: ${why} (log: ${runFiles(final.runDir).output})${log}`);
      }
      const files = runFiles(final.runDir);
      const backend = final.environment?.backend ?? final.backend;
      const data = {
        run_id: final.id,
        status: final.status,
        backend,
        device: final.environment?.device ?? null,
        steps: final.progress?.step ?? null,
        loss: final.progress?.loss ?? lastValue(files.metrics, 'loss'),
        eval_loss: final.progress?.evalLoss ?? lastValue(files.metrics, 'eval_loss'),
        tokens_per_second: medianTokensPerSecond(files.metrics),
        wall_seconds: seconds(final),
        run_dir: final.runDir,
        metrics: files.metrics,
        predictions: files.predictions,
      };
      const parts = [`${final.id} on ${backend}`, `${data.steps ?? '?'} steps`];
      if (data.loss !== null) parts.push(`loss ${formatNumber(data.loss)}`);
      if (data.eval_loss !== null) parts.push(`eval loss ${formatNumber(data.eval_loss)}`);
      if (data.tokens_per_second !== null) parts.push(`${Math.round(data.tokens_per_second).toLocaleString('en-US')} tokens/s`);
      if (data.wall_seconds !== null) parts.push(`${data.wall_seconds.toFixed(0)} s`);
      return { summary: parts.join(', '), data };
    } finally {
      await engine?.dispose();
    }
  },
};

/** answer_correctness@v2 is the score to read; @v1 is tunix-rt's exact match, kept for comparison. */
export const DEMO_JUDGES = ['answer_correctness@v2', 'answer_correctness@v1'] as const;

export const evaluateStage: DemoStage = {
  name: 'evaluate',
  title: 'Evaluate its answers on the test split',
  async run(ctx) {
    const run = ctx.state.run as DemoRunState | undefined;
    if (!run) throw new Error('The evaluate stage needs the train stage before it.');
    const { evaluateSources } = await import('../../core/eval/evaluateSources');
    const { resolveJudge } = await import('../../core/eval/judges/registry');
    const store = await ctx.store();
    const evaluations: Array<Record<string, unknown>> = [];
    for (const judgeId of DEMO_JUDGES) {
      ctx.note(`${judgeId}…`);
      const { result, stored } = await evaluateSources({ store, runId: run.runId, judge: resolveJudge(judgeId), onProgress: (done, total) => ctx.note(`${judgeId} ${done}/${total}…`) });
      const s = result.scorecard;
      evaluations.push({
        judge: result.judge,
        evaluation_id: stored?.id ?? null,
        n_items: s.n_items,
        n_scored: s.n_scored,
        n_correct: s.n_correct,
        primary_score: s.primary_score,
        ci95: s.ci95,
        breakdowns: s.breakdowns,
      });
    }
    const [main, v1] = evaluations as Array<{ judge: string; n_items: number; primary_score: number; breakdowns: Record<string, Record<string, { n_items: number; primary_score: number }>> }>;
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    const groups = Object.entries(main.breakdowns)
      .filter(([, byValue]) => Object.keys(byValue).length > 1)
      .map(([key, byValue]) => `${key}: ${Object.entries(byValue).map(([v, g]) => `${v} ${pct(g.primary_score)} of ${g.n_items}`).join(', ')}`);
    return {
      summary: `${main.judge} ${pct(main.primary_score)} of ${main.n_items} items (${v1.judge} ${pct(v1.primary_score)})${groups.length ? `; ${groups.join('; ')}` : ''}`,
      data: { run_id: run.runId, evaluations },
    };
  },
};

export const registerStage: DemoStage = {
  name: 'register',
  title: 'Register its model as a version',
  async run(ctx) {
    const run = ctx.state.run as DemoRunState | undefined;
    if (!run) throw new Error('The register stage needs the train stage before it.');
    const { registerModel } = await import('../../core/registry/modelRegistry');
    const v = await registerModel(await ctx.store(), { databasePath: ctx.dbPath, run: run.runId, name: ctx.options.datasetName, description: 'registered by tunix-rt demo', judge: DEMO_JUDGES[0] });
    const bytes = v.manifest.files.reduce((n, f) => n + f.bytes, 0);
    ctx.state.model = { dir: v.dir, name: v.name, version: v.version };
    const score = v.primaryScore === null ? 'not evaluated' : `${v.judge} ${(v.primaryScore * 100).toFixed(1)} %`;
    return {
      summary: `${v.name} v${v.version}: ${v.manifest.files.length} files (${(bytes / 1024).toFixed(0)} KiB, SHA-256 recorded), ${score}, in ${path.relative(ctx.dir, v.dir)}/`,
      data: { name: v.name, version: v.version, dir: v.dir, primary_score: v.primaryScore, judge: v.judge, files: v.manifest.files.length },
    };
  },
};
