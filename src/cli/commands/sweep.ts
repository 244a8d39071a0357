// `tunix-rt sweep`: a hyperparameter grid trained as one run per combination (through the run
// engine, like `tunix-rt train`, so the runs show in VS Code's Runs view as they go), each
// finished run scored by the objective, the runs ranked, the summary written beside the
// database, and optionally the best run's model registered as a version.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { CliCommand, Io } from '../command';
import { EXIT, intFlag, parse, printJson, required } from '../command';
import { UserError } from '../../core/errors';
import { getManifest } from '../../core/dataset/repository';
import { cliRunEngine } from '../runEngine';
import type { RunEngine } from '../../core/run/engine';
import { writeJsonAtomic } from '../../core/run/runFolder';
import { defaultTunables } from '../../core/run/trainerConfig';
import { BACKEND_CHOICES, BUILTIN_RECIPES, type BackendChoice, type BuiltinRecipe, type RunRecord } from '../../core/run/types';
import { expandGrid, higherIsBetter, parseGrid, rankResults, SWEEP_OBJECTIVES, type SweepObjective, type SweepPoint, type SweepResult } from '../../core/sweep/sweep';
import { DB_HELP, DB_OPTIONS, openCliStore } from '../database';

const DEFAULT_JUDGE = 'answer_correctness@v2';

const HELP = `Usage: tunix-rt sweep --dataset KEY --grid KEY=V1,V2,... [--grid ...] [options]

Trains one run of a built-in recipe per combination of the --grid values (every combination;
at most 64), --parallel at a time, then ranks the finished runs by the objective: "score" (the
run's answers on the test split, judged and stored like \`tunix-rt eval\`; the default for
sft_transformer), or its final "eval_loss" or "loss" (the default for other recipes). The runs
are ordinary runs: VS Code's Runs view and the leaderboard show them. A summary is written to
sweeps/<sweep-id>.json next to the database.

Options:
  --dataset KEY      the dataset to train on (tunix-rt dataset list)
  --grid KEY=V1,...  a setting and the values to try (repeatable; keys as for --set, e.g.
                     learning_rate, layers, d_model, batch_size, training.warmup_steps)
  --set KEY=VALUE    a setting fixed for every run (repeatable)
  --steps N          training steps of every run
  --recipe NAME      ${BUILTIN_RECIPES.join(' or ')} (default sft_transformer)
  --backend NAME     ${BACKEND_CHOICES.join(', ')} (default auto)
  --objective NAME   ${SWEEP_OBJECTIVES.join(', ')} (see above)
  --judge NAME       the judge of the "score" objective (default ${DEFAULT_JUDGE})
  --parallel N       runs at a time (default 1; each run already uses the machine's cores)
  --register NAME    register the best run's model as the next version of NAME
  --name TEXT        the sweep's label, put before each run's settings in its name
  --json             print {sweep_id, objective, runs: [{rank, run_id, label, params, status,
                     value}], best, registered, summary_file}
${DB_HELP}
  -h, --help         show this help

Exit codes: 0 at least one run finished with a value, 1 none did, 2 could not start.`;

function newSweepId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `sweep-${stamp}-${randomBytes(2).toString('hex')}`;
}

const fmt = (v: number | null) => (v === null ? '-' : Number(v.toPrecision(4)).toString());

/** Resolves when every run in `ids` has ended, reporting each end as it happens. */
function allEnded(engine: RunEngine, ids: readonly string[], onEnd: (r: RunRecord) => void): Promise<RunRecord[]> {
  return new Promise((resolve) => {
    const pending = new Set(ids);
    const check = (r: RunRecord | undefined) => {
      if (!r || !pending.has(r.id) || r.status === 'queued' || r.status === 'running') return;
      pending.delete(r.id);
      onEnd(r);
      if (pending.size === 0) {
        engine.off('ended', check);
        resolve(ids.map((id) => engine.get(id)!));
      }
    };
    engine.on('ended', check);
    for (const id of ids) check(engine.get(id));
  });
}

async function objectiveValue(store: Awaited<ReturnType<typeof openCliStore>>, run: RunRecord, objective: SweepObjective, judge: string, io: Io): Promise<number | null> {
  if (run.status !== 'completed') return null;
  if (objective === 'score') {
    const { evaluateSources } = await import('../../core/eval/evaluateSources');
    const { resolveJudge } = await import('../../core/eval/judges/registry');
    try {
      const { result } = await evaluateSources({ store, runId: run.id, judge: resolveJudge(judge) });
      return result.scorecard.primary_score;
    } catch (err) {
      io.err(`  ${run.id}: not scored: ${(err as Error).message}\n`);
      return null;
    }
  }
  const { finalTrainingMetrics } = await import('../../core/eval/runFacts');
  const v = (await finalTrainingMetrics(run.runDir))[objective];
  return v === undefined ? null : v;
}

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: 'Train a grid of hyperparameters, rank the runs, optionally register the best model',
  help: HELP,
  async run(argv, io) {
    const { values } = parse(
      'sweep',
      argv,
      {
        ...DB_OPTIONS,
        dataset: { type: 'string' },
        grid: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        steps: { type: 'string' },
        recipe: { type: 'string' },
        backend: { type: 'string' },
        objective: { type: 'string' },
        judge: { type: 'string' },
        parallel: { type: 'string' },
        register: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean' },
      },
      false,
    );
    if (values.help) return io.out(HELP + '\n'), EXIT.ok;
    const datasetKey = required('sweep', values, 'dataset');
    const recipe = (values.recipe ?? 'sft_transformer') as BuiltinRecipe;
    if (!(BUILTIN_RECIPES as readonly string[]).includes(recipe)) throw new UserError(`--recipe must be one of ${BUILTIN_RECIPES.join(', ')} (a sweep trains the built-in recipes), got "${recipe}".`);
    const backend = (values.backend ?? 'auto') as BackendChoice;
    if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) throw new UserError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got "${backend}".`);
    const objective = (values.objective ?? (recipe === 'sft_transformer' ? 'score' : 'eval_loss')) as SweepObjective;
    if (!SWEEP_OBJECTIVES.includes(objective)) throw new UserError(`--objective must be one of ${SWEEP_OBJECTIVES.join(', ')}, got "${objective}".`);
    if (objective === 'score' && recipe !== 'sft_transformer') throw new UserError(`--objective score needs answers to judge: only sft_transformer writes them; use eval_loss or loss for ${recipe}.`);
    const judge = values.judge ?? DEFAULT_JUDGE;
    if (objective === 'score') (await import('../../core/eval/judges/registry')).resolveJudge(judge);
    const parallel = intFlag('parallel', values.parallel, 1, 1);
    const fixed = [...(values.steps !== undefined ? [`training.steps=${intFlag('steps', values.steps, undefined, 1)}`] : []), ...(values.set ?? [])];
    // Every combination is checked before anything starts.
    const points: SweepPoint[] = expandGrid(parseGrid(values.grid ?? []), defaultTunables(recipe), fixed);
    if (values.register !== undefined) (await import('../../core/registry/modelRegistry')).checkModelName(values.register);

    const store = await openCliStore(values, io, 'sweep');
    let engine: RunEngine | undefined;
    try {
      getManifest(store, datasetKey); // a clear error before any run exists
      engine = cliRunEngine(store, io, { maxConcurrent: parallel, log: (m) => io.err(`${m}\n`) });
      await engine.reconcile();
      const sweepId = newSweepId();
      const label = values.name ?? sweepId;
      io.err(`Sweep ${sweepId}: ${points.length} run${points.length === 1 ? '' : 's'} of ${recipe} on ${datasetKey}, ${parallel} at a time, ranked by ${objective}\n`);
      const submitted: Array<{ run: RunRecord; point: SweepPoint }> = [];
      for (const point of points) {
        const run = await engine.submit({ datasetKey, recipe, backend, overrides: point.overrides, name: `${label} · ${point.label}` });
        submitted.push({ run, point });
        io.err(`  queued ${run.id} (${point.label})\n`);
      }
      // Ctrl-C, or SIGTERM from VS Code's cancel button: cancel every run not yet ended; the
      // sweep then ranks what completed and exits.
      let cancelling = false;
      const onSignal = () => {
        if (cancelling) return;
        cancelling = true;
        io.err('\nCancelling the sweep: ending its unfinished runs...\n');
        for (const { run } of submitted) void engine!.cancel(run.id).catch(() => undefined);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const announced = new Set<string>();
      const onChanged = (r: RunRecord) => {
        const entry = submitted.find((x) => x.run.id === r.id);
        if (!entry || r.status !== 'running' || announced.has(r.id)) return;
        announced.add(r.id);
        io.err(`  training ${entry.point.label} (${r.id})\n`);
      };
      engine.on('changed', onChanged);
      let done = 0;
      const ended = await allEnded(
        engine,
        submitted.map((s) => s.run.id),
        (r) => {
          done++;
          const point = submitted.find((s) => s.run.id === r.id)!.point;
          io.err(`  [${done}/${points.length}] ${point.label}: ${r.status}${r.progress?.loss !== undefined ? `, loss ${fmt(r.progress.loss)}` : ''}${r.outcome?.reason && r.status !== 'completed' ? ` (${r.outcome.reason})` : ''}\n`);
        },
      );
      engine.off('changed', onChanged);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const results: SweepResult[] = [];
      for (const [k, r] of ended.entries()) {
        const { point } = submitted[k];
        results.push({ runId: r.id, label: point.label, params: point.params, status: r.status, value: await objectiveValue(store, r, objective, judge, io) });
      }
      const ranked = rankResults(results, objective);
      const best = ranked[0]?.value !== null ? ranked[0] : undefined;
      let registered: { name: string; version: number; dir: string } | undefined;
      if (best && values.register !== undefined) {
        const { registerModel } = await import('../../core/registry/modelRegistry');
        const v = await registerModel(store, { databasePath: store.path, run: best.runId, name: values.register, description: `best of ${sweepId} by ${objective} (${best.label})`, ...(objective === 'score' ? { judge } : {}) });
        registered = { name: v.name, version: v.version, dir: v.dir };
      }
      const summaryFile = path.join(path.dirname(store.path), 'sweeps', `${sweepId}.json`);
      const summary = {
        sweep_id: sweepId,
        created_at: new Date().toISOString(),
        dataset: datasetKey,
        recipe,
        backend,
        fixed,
        grid: parseGrid(values.grid ?? []),
        objective,
        higher_is_better: higherIsBetter(objective),
        judge: objective === 'score' ? judge : null,
        runs: ranked.map((r, i) => ({ rank: r.value === null ? null : i + 1, run_id: r.runId, label: r.label, params: r.params, status: r.status, value: r.value })),
        best: best ? { run_id: best.runId, label: best.label, value: best.value } : null,
        registered: registered ?? null,
      };
      writeJsonAtomic(summaryFile, summary);
      if (values.json) printJson(io, { ...summary, summary_file: summaryFile });
      else {
        const rows = summary.runs.map((r) => [r.rank === null ? '-' : String(r.rank), fmt(r.value), r.status, r.label, r.run_id]);
        const head = ['#', objective.toUpperCase(), 'STATUS', 'SETTINGS', 'RUN'];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
        const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
        io.out(`${[line(head), ...rows.map(line)].join('\n')}\n`);
        io.out(best ? `Best: ${best.label} (${objective} ${fmt(best.value)}), run ${best.runId}.\n` : 'No run finished with a value.\n');
        if (registered) io.out(`Registered its model as ${registered.name} v${registered.version} (${registered.dir}).\n`);
        io.out(`Summary: ${summaryFile}\n`);
      }
      return best ? EXIT.ok : EXIT.problems;
    } finally {
      await engine?.dispose();
      await store.close();
    }
  },
};
