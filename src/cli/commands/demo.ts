// `tunix-rt demo`: the whole loop on embedded defaults, as a sequence of stages: sample
// traces -> a fresh database -> a dataset with splits -> exports -> a training run ->
// its evaluation -> a short report.
//
// Adding a stage: write a `DemoStage` and add it to DEMO_STAGES in order. A stage reads what
// earlier stages left on the context (`ctx.datasetKey`, `ctx.exports`, `ctx.store()`,
// `ctx.state`), does its work, and returns a one-line summary plus figures for the report.
// Throwing ends the demo with that stage marked failed (a UserError's message is shown as is).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliCommand, Io } from '../command';
import { EXIT, intFlag, parse, printJson } from '../command';
import { UserError } from '../../core/errors';
import type { Store } from '../../core/store';
import { parseDifficulties, parseTask, type Difficulty, type TaskChoice } from '../../core/generate';
import { BACKEND_CHOICES, type BackendChoice } from '../../core/run/types';
import { applyOverrides, defaultTunables } from '../../core/run/trainerConfig';
import { evaluateStage, registerStage, trainStage, type DemoRunState } from './demoLearn';

/**
 * The embedded defaults (no settings, no downloads): what `npm run demo` runs with.
 * Addition with 1-3 digit operands is what the small transformer learns to a high accuracy
 * within minutes on 2 cores (measured: 600 steps 89 %, 1000 steps 98.7 % on the test
 * split, ~2.5 min); eight mixed tasks would share the same budget. 4000 traces split
 * 92/4/4 give ~3700 training examples and ~160 test items (generation stays short).
 */
export const DEMO_DEFAULTS = {
  dir: '.tunix-demo',
  task: 'addition' as TaskChoice,
  count: 4000,
  seed: 1,
  difficulty: 'easy,medium',
  splits: 'train=0.92,val=0.04,test=0.04',
  backend: 'auto' as BackendChoice,
  steps: 1000,
  datasetName: 'demo',
  datasetVersion: 'v1',
};

export interface DemoOptions {
  dir: string;
  task: TaskChoice;
  count: number;
  seed: number;
  difficulties: Difficulty[];
  splits: string;
  datasetName: string;
  datasetVersion: string;
  /** Training steps of the run. */
  steps: number;
  backend: BackendChoice;
  /** `key=value` hyperparameters for the run (as `tunix-rt train --set`). */
  overrides: string[];
}

export interface StageResult {
  /** One line for the report, e.g. "2000 traces (mixed, seed 1)". */
  summary: string;
  /** Figures for --json and later stages' reading. */
  data?: Record<string, unknown>;
}

export interface DemoContext {
  options: DemoOptions;
  /** The demo folder (absolute). */
  dir: string;
  /** The demo's database (absolute), fresh for every run. */
  dbPath: string;
  io: Io;
  /** True with --json: stages print nothing on stdout. */
  quiet: boolean;
  /** A progress note shown under the current stage (not with --json). */
  note(text: string): void;
  /** The database, opened on first call and closed when the demo ends. */
  store(): Promise<Store>;
  /** Set by the generate stage. */
  samplesFile?: string;
  /** Set by the dataset stage. */
  datasetKey?: string;
  /** Exported files by "<split>.<format>", set by the export stage. */
  exports: Record<string, string>;
  /** Free-form results for later stages (e.g. a run id for evaluation). */
  state: Record<string, unknown>;
}

export interface DemoStage {
  name: string;
  title: string;
  run(ctx: DemoContext): Promise<StageResult>;
}

export const generateStage: DemoStage = {
  name: 'generate',
  title: 'Generate sample traces',
  async run(ctx) {
    const { generateTraces } = await import('../../core/generate');
    const { writeLinesAtomically } = await import('../../core/dataset/jsonlFile');
    const o = ctx.options;
    const file = path.join(ctx.dir, `samples-${o.task}-seed${o.seed}.trace.jsonl`);
    const byTask: Record<string, number> = {};
    const lines = function* () {
      for (const t of generateTraces({ task: o.task, count: o.count, seed: o.seed, difficulties: o.difficulties })) {
        const name = String(t.meta?.task_type);
        byTask[name] = (byTask[name] ?? 0) + 1;
        yield JSON.stringify(t) + '\n';
      }
    };
    const written = await writeLinesAtomically(file, lines());
    ctx.samplesFile = file;
    return {
      summary: `${o.count} ${o.task} traces (seed ${o.seed}, ${o.difficulties.join('/')}) -> ${path.relative(process.cwd(), file) || file}`,
      data: { file, count: o.count, bytes: written.bytes, by_task: byTask },
    };
  },
};

export const importStage: DemoStage = {
  name: 'import',
  title: 'Import them into a fresh database',
  async run(ctx) {
    if (!ctx.samplesFile) throw new Error('The import stage needs the generate stage before it.');
    const { importTraces } = await import('../../core/import');
    const store = await ctx.store();
    let last = 0;
    const report = await importTraces(store, [ctx.samplesFile], {
      onProgress: (p) => {
        if (Date.now() - last < 200) return;
        last = Date.now();
        ctx.note(`${p.imported} imported…`);
      },
    });
    if (report.invalid) throw new Error(`${report.invalid} generated traces were invalid (first: ${JSON.stringify(report.invalidLines[0])}); this is a bug in the generators.`);
    return {
      summary: `${report.imported} imported, ${report.duplicates} duplicates, ${report.invalid} invalid into ${path.relative(process.cwd(), ctx.dbPath) || ctx.dbPath}`,
      data: { imported: report.imported, duplicates: report.duplicates, invalid: report.invalid, seconds: report.seconds, database: ctx.dbPath },
    };
  },
};

export const datasetStage: DemoStage = {
  name: 'dataset',
  title: 'Build a dataset with splits',
  async run(ctx) {
    const { buildDataset } = await import('../../core/dataset/build');
    const o = ctx.options;
    const store = await ctx.store();
    const r = await buildDataset(store, {
      name: o.datasetName,
      version: o.datasetVersion,
      databasePath: ctx.dbPath,
      selection: 'all',
      seed: o.seed,
      splits: o.splits,
      provenance: { built_by: 'tunix-rt demo' },
      onProgress: (p) => ctx.note(`${p.phase} ${p.done}…`),
    });
    const m = r.manifest;
    ctx.datasetKey = m.dataset_key;
    const splits = Object.entries(m.splits.counts).map(([k, n]) => `${k} ${n}`).join(', ');
    return {
      summary: `${m.dataset_key}: ${m.trace_count} traces (${splits}), ${Object.keys(m.stats.by_category).length} categories, avg ${m.stats.avg_step_count.toFixed(1)} steps`,
      data: { dataset_key: m.dataset_key, trace_count: m.trace_count, splits: m.splits.counts, manifest: r.manifestPath },
    };
  },
};

export const exportStage: DemoStage = {
  name: 'export',
  title: 'Export it for trainers',
  async run(ctx) {
    if (!ctx.datasetKey) throw new Error('The export stage needs the dataset stage before it.');
    const { exportDataset } = await import('../../core/dataset/export');
    const store = await ctx.store();
    const folder = path.join(ctx.dir, 'exports');
    // Training text for every split, and the held-out split as evaluation items.
    const plan: Array<[string, 'tunix_sft' | 'eval_items' | 'messages']> = [
      ['train', 'tunix_sft'],
      ['val', 'tunix_sft'],
      ['test', 'tunix_sft'],
      ['train', 'messages'],
      ['test', 'eval_items'],
    ];
    const files: Record<string, { path: string; lines: number }> = {};
    for (const [split, format] of plan) {
      const out = path.join(folder, `${split}.${format}.jsonl`);
      ctx.note(`${split}.${format}…`);
      const r = await exportDataset(store, { key: ctx.datasetKey, format, split, out });
      ctx.exports[`${split}.${format}`] = out;
      files[`${split}.${format}`] = { path: out, lines: r.written };
    }
    return {
      summary: `${Object.keys(files).length} files in ${path.relative(process.cwd(), folder) || folder} (${Object.entries(files).map(([k, f]) => `${k} ${f.lines}`).join(', ')})`,
      data: { files },
    };
  },
};

/** The demo, in order. */
export const DEMO_STAGES: DemoStage[] = [generateStage, importStage, datasetStage, exportStage, trainStage, evaluateStage, registerStage];

/** The closing hints: the files, the commands to look further, and what to open in VS Code. */
function whereThingsAre(dir: string, dbPath: string, ctx: DemoContext, run: DemoRunState | undefined): string {
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  const lines = [
    '',
    `Files (all under ${rel(dir)}):`,
    `  database    ${rel(dbPath)}`,
    `  samples     ${ctx.samplesFile ? rel(ctx.samplesFile) : '-'}`,
    `  exports     ${rel(path.join(dir, 'exports'))}/`,
  ];
  if (run) lines.push(`  run         ${rel(run.runDir)}/ (config.json, metrics.jsonl, predictions.jsonl, model/, logs/)`);
  const model = ctx.state.model as { dir: string; name: string; version: number } | undefined;
  if (model) lines.push(`  model       ${rel(model.dir)}/ (${model.name} v${model.version}, model_version.json)`);
  lines.push('', 'Look further:', `  node dist/cli.js dataset show ${ctx.datasetKey ?? ''} --db ${rel(dbPath)}`);
  if (run) lines.push(`  node dist/cli.js runs show ${run.runId} --db ${rel(dbPath)}`, `  node dist/cli.js leaderboard --db ${rel(dbPath)}`);
  if (model) lines.push(`  node dist/cli.js models show ${model.name}@${model.version} --db ${rel(dbPath)}`);
  else lines.push(`  node dist/cli.js traces list --db ${rel(dbPath)} --limit 5`);
  lines.push(
    '',
    `In VS Code: open the folder ${rel(dir)} (code ${rel(dir)}) with this extension installed; the Tunix`,
    '  sidebar finds its database. Then: Traces (browse, open one), Datasets (demo-v1: Show Dataset Stats),',
    `  Runs (${run ? `${run.runId}: ` : ''}Open Metrics for the loss curves), Models, and "Tunix: Show Leaderboard" for the scores.`,
    '',
  );
  return lines.join('\n');
}

/** The file that marks a folder as a demo folder, so a later run may clear it. */
const MARKER = 'tunix-demo.json';

/** Makes `dir` an empty demo folder; refuses to clear a folder that is not one. */
function prepareFolder(dir: string): void {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new UserError(`--dir ${dir} is a file; give a folder for the demo.`);
    const entries = fs.readdirSync(dir);
    if (entries.length && !entries.includes(MARKER)) {
      throw new UserError(`${dir} already holds files that are not from an earlier demo; choose another folder with --dir (the demo clears its folder on each run).`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
}

interface StageReport {
  stage: string;
  title: string;
  status: 'ok' | 'failed' | 'skipped';
  seconds: number;
  summary: string;
  data?: Record<string, unknown>;
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Run the whole loop on sample data: generate, import, build and export a dataset, train, evaluate',
  help: `Usage: tunix-rt demo [--dir DIR] [--count N] [--seed S] [--task TASK] [--difficulty D]
                     [--steps N] [--backend B] [--set key=value]... [--skip STAGE,...] [--json]

Runs the main loop on embedded defaults, nothing to configure or download: generates sample
reasoning traces, imports them into a fresh database, builds a dataset with train/val/test
splits, exports it in training formats, trains the built-in transformer on it (a real run,
progress on stderr), evaluates the run's answers on the test split (stored, so the
leaderboard shows them), and prints a short report. About 3 minutes on 2 CPU cores. The
folder is cleared at the start of each run (only a folder an earlier demo made).

Why 1-3 digit addition and ${DEMO_DEFAULTS.steps} steps by default: in that budget (~2.5 minutes of
training on 2 cores) the small built-in transformer learns it to ~99 % correct answers on
the held-out test split (steps written ones column first, carries shown), so the report
shows learning, not just plumbing. With --task mixed the same loop runs, but eight tasks
share the budget, so expect a lower score; give them more --steps.

Stages: ${DEMO_STAGES.map((s) => s.name).join(', ')}

Options:
  --dir DIR          the demo folder (default ${DEMO_DEFAULTS.dir} under the current folder)
  --count N          how many sample traces (default ${DEMO_DEFAULTS.count})
  --seed S           seed of the samples and the splits (default ${DEMO_DEFAULTS.seed})
  --task TASK        which generator (default ${DEMO_DEFAULTS.task}; see \`tunix-rt generate --help\`)
  --difficulty D     easy, medium, hard, a comma list, or all (default ${DEMO_DEFAULTS.difficulty})
  --steps N          training steps (default ${DEMO_DEFAULTS.steps})
  --backend B        TensorFlow.js backend: ${BACKEND_CHOICES.join(', ')} (default ${DEMO_DEFAULTS.backend}: the best available)
  --set KEY=VALUE    a hyperparameter of the run, repeatable, as in \`tunix-rt train --set\`
                     (e.g. --set d_model=32 --set layers=1 for a quick try)
  --skip STAGE,...   leave out later stages (e.g. --skip train,evaluate); the first four always run
  --json             print the report as JSON {dir, database, ok, seconds, run_id,
                     stages: [{stage, status, seconds, summary, data}]}
  -h, --help         show this help`,
  async run(argv, io) {
    const { values } = parse(
      'demo',
      argv,
      {
        dir: { type: 'string' },
        count: { type: 'string' },
        seed: { type: 'string' },
        task: { type: 'string' },
        difficulty: { type: 'string' },
        steps: { type: 'string' },
        backend: { type: 'string' },
        set: { type: 'string', multiple: true },
        skip: { type: 'string' },
        json: { type: 'boolean' },
      },
      false,
    );
    if (values.help) return io.out(this.help + '\n'), EXIT.ok;
    const backend = (values.backend ?? DEMO_DEFAULTS.backend) as BackendChoice;
    if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) throw new UserError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got "${backend}".`);
    const options: DemoOptions = {
      dir: path.resolve(values.dir ?? DEMO_DEFAULTS.dir),
      task: parseTask(values.task ?? DEMO_DEFAULTS.task),
      count: intFlag('count', values.count, DEMO_DEFAULTS.count, 1),
      seed: intFlag('seed', values.seed, DEMO_DEFAULTS.seed),
      difficulties: parseDifficulties(values.difficulty ?? DEMO_DEFAULTS.difficulty),
      splits: DEMO_DEFAULTS.splits,
      datasetName: DEMO_DEFAULTS.datasetName,
      datasetVersion: DEMO_DEFAULTS.datasetVersion,
      steps: intFlag('steps', values.steps, DEMO_DEFAULTS.steps, 1),
      backend,
      overrides: values.set ?? [],
    };
    // Bad hyperparameters are refused before the folder is cleared, not minutes later.
    applyOverrides(defaultTunables('sft_transformer'), [`training.steps=${options.steps}`, ...options.overrides]);
    const skip = new Set((values.skip ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    const core = new Set(['generate', 'import', 'dataset', 'export']);
    for (const s of skip) {
      if (core.has(s)) throw new UserError(`--skip ${s}: the first four stages (${[...core].join(', ')}) always run; later stages build on them.`);
      if (!DEMO_STAGES.some((st) => st.name === s)) throw new UserError(`--skip ${s}: no such stage. Stages: ${DEMO_STAGES.map((st) => st.name).join(', ')}.`);
    }
    const quiet = !!values.json;
    const say = (text: string) => {
      if (!quiet) io.out(text);
    };

    prepareFolder(options.dir);
    const dbPath = path.join(options.dir, '.tunix', 'tunix.db');
    fs.writeFileSync(path.join(options.dir, MARKER), JSON.stringify({ created_by: 'tunix-rt demo', options }, null, 2) + '\n');
    say(`Tunix RT demo in ${options.dir}\n`);

    let store: Store | undefined;
    let noteShown = false;
    const ctx: DemoContext = {
      options,
      dir: options.dir,
      dbPath,
      io,
      quiet,
      note(text) {
        if (quiet || !io.interactive) return;
        io.err(`\r\x1b[K    ${text}`);
        noteShown = true;
      },
      async store() {
        if (!store) {
          const { openStore } = await import('../../core/store');
          store = await openStore(dbPath, { purpose: 'tunix-rt demo' });
        }
        return store;
      },
      exports: {},
      state: {},
    };

    const reports: StageResult[] = [];
    const stages: StageReport[] = [];
    let failed = false;
    try {
      for (const [k, stage] of DEMO_STAGES.entries()) {
        if (failed || skip.has(stage.name)) {
          stages.push({ stage: stage.name, title: stage.title, status: 'skipped', seconds: 0, summary: failed ? 'not run (an earlier stage failed)' : 'skipped (--skip)' });
          continue;
        }
        say(`[${k + 1}/${DEMO_STAGES.length}] ${stage.title}…\n`);
        const started = performance.now();
        try {
          const result = await stage.run(ctx);
          reports.push(result);
          if (noteShown) io.err('\r\x1b[K');
          noteShown = false;
          const seconds = (performance.now() - started) / 1000;
          stages.push({ stage: stage.name, title: stage.title, status: 'ok', seconds, summary: result.summary, ...(result.data ? { data: result.data } : {}) });
          say(`      ${result.summary} (${seconds.toFixed(1)} s)\n`);
        } catch (err) {
          if (noteShown) io.err('\r\x1b[K');
          failed = true;
          const seconds = (performance.now() - started) / 1000;
          const message = (err as Error).message ?? String(err);
          stages.push({ stage: stage.name, title: stage.title, status: 'failed', seconds, summary: message });
          io.err(`tunix-rt demo: stage "${stage.name}" failed: ${message}\n`);
          if (!(err instanceof UserError)) io.err(`${(err as Error).stack ?? ''}\n`);
        }
      }
    } finally {
      if (store) await (store as Store).close();
    }

    const total = stages.reduce((s, r) => s + r.seconds, 0);
    const run = ctx.state.run as DemoRunState | undefined;
    if (quiet) {
      printJson(io, { dir: options.dir, database: dbPath, ok: !failed, seconds: total, run_id: run?.runId ?? null, stages });
    } else {
      const width = Math.max(...stages.map((s) => s.stage.length));
      const lines = stages.map((s) => `  ${s.status === 'ok' ? '✓' : s.status === 'failed' ? '✗' : '-'} ${s.stage.padEnd(width)}  ${s.status === 'ok' ? `${s.seconds.toFixed(1).padStart(5)} s` : '       '}  ${s.summary}`);
      say(`\nReport (${total.toFixed(1)} s in all):\n${lines.join('\n')}\n`);
      if (!failed) say(whereThingsAre(options.dir, dbPath, ctx, run));
    }
    return failed ? EXIT.problems : EXIT.ok;
  },
};
