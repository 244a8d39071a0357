// `tunix-rt train`: starts a training run on a dataset and follows it in the foreground to
// its end (progress on stderr), the way a VS Code window would: same engine, same run folder.
import * as path from 'node:path';
import type { CliCommand, Io } from '../command';
import { EXIT, intFlag, parse, printJson, required } from '../command';
import { UserError } from '../../core/errors';
import { getManifest } from '../../core/dataset/repository';
import { cliRunEngine } from '../runEngine';
import type { RunEngine } from '../../core/run/engine';
import { describeRun, formatProgress } from '../../core/run/format';
import { BACKEND_CHOICES, BUILTIN_RECIPES, type BackendChoice, type RecipeName, type RunRecord } from '../../core/run/types';
import { TUNABLE_FIELDS, EXTRA_FIELDS } from '../../core/run/trainerConfig';
import { PLACEHOLDERS } from '../../core/run/externalCommand';
import { DB_HELP, DB_OPTIONS, openCliStore } from '../database';

export const TRAIN_HELP = `Usage: tunix-rt train --db PATH --dataset KEY [--recipe NAME] [--steps N]
                      [--backend auto|gpu|webgpu|native|wasm|cpu] [--set key=value]...
                      [--name TEXT] [--heartbeat-timeout SECONDS] [--detach] [--json]
       tunix-rt train --db PATH --dataset KEY --recipe external [options] -- PROGRAM [ARG]...

Trains on dataset KEY in a child process and follows the run to its end: progress on
stderr, the run folder in <db folder>/runs/<run-id>/ (config.json, metrics.jsonl, logs/,
checkpoints/, predictions.jsonl, run_manifest.json). Ctrl-C cancels the run (the whole
process tree). With --detach it returns once the run started; follow it with
\`tunix-rt runs show ID\` or in VS Code.

Recipes:
  sft_transformer      a small decoder-only transformer trained by SFT (default)
  observer_classifier  an n-gram classifier of a metadata field (needs --set label_field=KEY)
  external             any command after \`--\`, spawned without a shell, with placeholders:
${Object.entries(PLACEHOLDERS)
  .map(([k, v]) => `                         \${${k}}  ${v}`)
  .join('\n')}
                       Its metrics are read from <output_dir>/metrics.jsonl or a Hugging Face
                       trainer_state.json.

Options:
${DB_HELP}
  --dataset KEY      the dataset to train on (tunix-rt dataset list)
  --recipe NAME      ${[...BUILTIN_RECIPES, 'external'].join(', ')}
  --steps N          optimizer steps (same as --set training.steps=N)
  --backend B        TensorFlow.js backend: auto (best available, default), gpu (CUDA),
                     webgpu, native (tfjs-node), wasm, cpu
  --set KEY=VALUE    a hyperparameter; repeatable. Keys (the part after the dot is enough):
${[...TUNABLE_FIELDS.map((f) => `                       ${f.path.padEnd(28)}${f.help}`), ...Object.entries(EXTRA_FIELDS).map(([k, f]) => `                       ${k.padEnd(28)}${f.help}`)].join('\n')}
  --name TEXT        a label for the run
  --heartbeat-timeout SECONDS  fail the run when the trainer is silent this long (default 120)
  --detach           start the run and return; it keeps going without this process
  --json             print {run_id, status, backend, run_dir, dataset, recipe, steps, loss, outcome}
  -h, --help         show this help

Exit codes: 0 the run completed, 1 it failed or was cancelled, 2 it could not start.`;

/** The JSON the train and runs commands print for one run. */
export function runJson(r: RunRecord): Record<string, unknown> {
  return {
    run_id: r.id,
    status: r.status,
    backend: r.environment?.backend ?? r.backend,
    run_dir: r.runDir,
    name: r.name,
    dataset: r.datasetKey,
    recipe: r.recipe,
    requested_backend: r.backend,
    device: r.environment?.device ?? null,
    seed: r.seed,
    steps: r.progress?.step ?? null,
    total_steps: r.progress?.totalSteps ?? null,
    loss: r.progress?.loss ?? null,
    eval_loss: r.progress?.evalLoss ?? null,
    attempts: r.attempts,
    created_at: r.createdAt,
    started_at: r.startedAt ?? null,
    ended_at: r.endedAt ?? null,
    outcome: r.outcome ?? null,
    ...(r.command ? { command: r.command } : {}),
    metrics_path: path.join(r.runDir, 'metrics.jsonl'),
    log_path: path.join(r.runDir, 'logs', 'output.log'),
  };
}

/** Prints progress lines on stderr (redrawn in place on a terminal, at most one per second otherwise). */
export function followProgress(engine: RunEngine, id: string, io: Io): () => void {
  let last = 0;
  let lastText = '';
  const onProgress = (runId: string) => {
    if (runId !== id) return;
    const text = formatProgress(engine.liveProgress(id));
    if (!text || text === lastText) return;
    const now = Date.now();
    if (io.interactive) {
      io.err(`\r\x1b[2K${text}`);
      lastText = text;
    } else if (now - last >= 1000) {
      io.err(`${text}\n`);
      last = now;
      lastText = text;
    }
  };
  engine.on('progress', onProgress);
  return () => {
    engine.off('progress', onProgress);
    if (io.interactive && lastText) io.err('\n');
  };
}

/** Waits for the run to end, cancelling it on Ctrl-C; returns the final record. */
export async function runInForeground(engine: RunEngine, id: string, io: Io): Promise<RunRecord> {
  const stop = followProgress(engine, id, io);
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted === 1) {
      io.err('\nCancelling the run (Ctrl-C again to leave it running in the background)...\n');
      void engine.cancel(id).catch((err) => io.err(`Could not cancel: ${(err as Error).message}\n`));
    } else {
      io.err(`Leaving run ${id} running.\n`);
      process.exit(EXIT.problems);
    }
  };
  process.on('SIGINT', onSigint);
  try {
    return await engine.waitForEnd(id);
  } finally {
    process.off('SIGINT', onSigint);
    stop();
  }
}

export function exitFor(r: RunRecord): number {
  return r.status === 'completed' || r.status === 'running' ? EXIT.ok : EXIT.problems;
}

export function reportEnd(r: RunRecord, io: Io, json: boolean): void {
  if (json) return printJson(io, runJson(r));
  io.out(`${r.id}: ${describeRun(r)}\n  folder: ${r.runDir}\n`);
  if (r.status === 'failed' && r.outcome?.lastLogLines?.length) {
    io.out(`  last log lines:\n${r.outcome.lastLogLines.map((l) => `    ${l}`).join('\n')}\n`);
  }
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Train on a dataset (built-in recipe or any external trainer) and follow the run',
  help: TRAIN_HELP,
  async run(argv, io) {
    const { values, positionals } = parse(
      'train',
      argv,
      {
        ...DB_OPTIONS,
        dataset: { type: 'string' },
        recipe: { type: 'string' },
        steps: { type: 'string' },
        backend: { type: 'string' },
        set: { type: 'string', multiple: true },
        name: { type: 'string' },
        'heartbeat-timeout': { type: 'string' },
        detach: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      true,
    );
    if (values.help) return io.out(TRAIN_HELP + '\n'), EXIT.ok;
    const datasetKey = required('train', values, 'dataset');
    const recipe = (values.recipe ?? 'sft_transformer') as RecipeName;
    if (recipe !== 'external' && !(BUILTIN_RECIPES as readonly string[]).includes(recipe)) {
      throw new UserError(`Unknown recipe "${recipe}". Recipes: ${[...BUILTIN_RECIPES, 'external'].join(', ')}.`);
    }
    if (recipe === 'external' && positionals.length === 0) {
      throw new UserError('--recipe external needs the trainer command after `--`, e.g. -- python3 train.py --data ${train} --output ${output_dir}');
    }
    if (recipe !== 'external' && positionals.length) throw new UserError(`Unexpected argument "${positionals[0]}". A command after \`--\` needs --recipe external.`);
    const backend = (values.backend ?? 'auto') as BackendChoice;
    if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) throw new UserError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got "${backend}".`);
    const overrides = [...(values.steps !== undefined ? [`training.steps=${intFlag('steps', values.steps, undefined, 1)}`] : []), ...(values.set ?? [])];
    const heartbeatTimeout = intFlag('heartbeat-timeout', values['heartbeat-timeout'], 120, 0);

    const store = await openCliStore(values, io, 'train');
    let engine: RunEngine | undefined;
    try {
      getManifest(store, datasetKey); // a clear error before any run exists
      engine = cliRunEngine(store, io, { heartbeatTimeoutMs: heartbeatTimeout * 1000, log: (m) => io.err(`${m}\n`) });
      await engine.reconcile();
      const run = await engine.submit({ datasetKey, recipe, backend, overrides, ...(recipe === 'external' ? { command: positionals } : {}), name: values.name });
      if (!values.json) io.err(`Run ${run.id} (${run.name}) in ${run.runDir}\n`);
      let final: RunRecord;
      if (values.detach) {
        final = await waitUntilStarted(engine, run.id);
      } else {
        final = await runInForeground(engine, run.id, io);
      }
      reportEnd(final, io, !!values.json);
      return exitFor(final);
    } finally {
      await engine?.dispose();
      await store.close();
    }
  },
};

/** Resolves once a run left the queue (running, or already ended). */
export function waitUntilStarted(engine: RunEngine, id: string): Promise<RunRecord> {
  return new Promise((resolve) => {
    const check = () => {
      const r = engine.get(id);
      if (r && r.status !== 'queued') {
        engine.off('changed', onChange);
        resolve(r);
      }
    };
    const onChange = (r: RunRecord) => r.id === id && check();
    engine.on('changed', onChange);
    check();
  });
}
