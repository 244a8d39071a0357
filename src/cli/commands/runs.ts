// `tunix-rt runs list|show|cancel|resume|delete`: the training runs of a database, from any
// process: a run started in VS Code can be cancelled here and the reverse.
import type { CliCommand, Io } from '../command';
import { EXIT, intFlag, parse, printJson } from '../command';
import { UserError } from '../../core/errors';
import { resolveRunId } from '../../core/run/runStore';
import type { RunEngine } from '../../core/run/engine';
import { lastLines } from '../../core/run/fileTail';
import { describeRun, formatNumber } from '../../core/run/format';
import { runFiles } from '../../core/run/runFolder';
import { RUN_STATUSES, type RunRecord, type RunStatus } from '../../core/run/types';
import { DB_OPTIONS, openCliStore } from '../database';
import { cliRunEngine } from '../runEngine';
import { chooseVerb, commandHelp, verbHelp, type VerbSpec } from '../verbs';
import { exitFor, reportEnd, runInForeground, runJson, waitUntilStarted } from './train';

const VERBS = {
  list: {
    usage: 'tunix-rt runs list [--status S]... [--dataset KEY] [--limit N] [--json]',
    summary: 'list runs, newest first',
    details: `  --status S       only runs with this status (repeatable): ${RUN_STATUSES.join(', ')}
  --dataset KEY    only runs on this dataset
  --limit N        at most N runs (default 50)
  --json           print an array of {run_id, status, backend, run_dir, dataset, recipe, steps, loss, outcome, ...}`,
  },
  show: {
    usage: 'tunix-rt runs show ID [--lines N] [--json]',
    summary: "one run's record, outcome, files and the end of its log",
    details: `  ID               a run id or a unique prefix of one
  --lines N        log lines to show (default 20)
  --json           print {run_id, status, ..., config, environment, log_tail}`,
  },
  cancel: {
    usage: 'tunix-rt runs cancel ID [--json]',
    summary: 'cancel a queued or running run (ends its whole process tree)',
    details: `  ID               a run id or a unique prefix of one
  --json           print the run after cancelling`,
  },
  resume: {
    usage: 'tunix-rt runs resume ID [--detach] [--json]',
    summary: 'continue a failed, cancelled or interrupted run from its latest checkpoint',
    details: `  ID               a run id or a unique prefix of one
  --detach         start it and return instead of following it to its end
  --json           print the run when it ends (or starts, with --detach)`,
  },
  delete: {
    usage: 'tunix-rt runs delete ID [--json]',
    summary: 'delete a finished run: its record and its folder',
    details: `  ID               a run id or a unique prefix of one
  --json           print {deleted: ID}`,
  },
} as const satisfies Record<string, VerbSpec>;

const HELP = commandHelp('runs', 'Training runs of the database (tunix-rt runs <verb> --help for each verb). Start one with\n`tunix-rt train`.', VERBS);

function table(runs: RunRecord[]): string {
  if (!runs.length) return 'No runs. Start one with `tunix-rt train --dataset KEY`.';
  const rows = runs.map((r) => [
    r.id,
    r.status,
    r.recipe,
    r.datasetKey,
    r.progress?.step !== undefined ? `${r.progress.step}${r.progress.totalSteps ? `/${r.progress.totalSteps}` : ''}` : '',
    r.progress?.loss !== undefined ? formatNumber(r.progress.loss) : '',
    r.createdAt.replace('T', ' ').slice(0, 19),
  ]);
  const head = ['RUN', 'STATUS', 'RECIPE', 'DATASET', 'STEP', 'LOSS', 'CREATED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

async function withEngine<T>(values: Record<string, unknown>, io: Io, purpose: string, fn: (engine: RunEngine) => Promise<T>): Promise<T> {
  const store = await openCliStore(values as { db?: string }, io, purpose);
  const engine = cliRunEngine(store, io);
  try {
    // Runs whose process ended while nobody watched get their final status here.
    await engine.reconcile();
    return await fn(engine);
  } finally {
    await engine.dispose();
    await store.close();
  }
}

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'List, show, cancel, resume and delete training runs',
  help: HELP,
  async run(argv, io) {
    const verb = chooseVerb('runs', VERBS, argv);
    if (!verb) return io.out(HELP + '\n'), argv.length ? EXIT.ok : EXIT.usage;
    const rest = argv.slice(1);
    const { values, positionals } = parse(
      `runs ${verb}`,
      rest,
      { ...DB_OPTIONS, json: { type: 'boolean' }, status: { type: 'string', multiple: true }, dataset: { type: 'string' }, limit: { type: 'string' }, lines: { type: 'string' }, detach: { type: 'boolean' } },
      true,
    );
    if (values.help) return io.out(verbHelp(VERBS[verb]) + '\n'), EXIT.ok;
    const id = () => {
      if (positionals.length !== 1) throw new UserError(`runs ${verb} takes one run id (or a unique prefix). Run \`tunix-rt runs ${verb} --help\`.`);
      return positionals[0];
    };
    if (verb !== 'list') id();
    else if (positionals.length) throw new UserError(`runs list takes no arguments, got "${positionals[0]}".`);

    return withEngine(values, io, `runs ${verb}`, async (engine) => {
      switch (verb) {
        case 'list': {
          const status = values.status as RunStatus[] | undefined;
          const runs = engine.list({ ...(status ? { status } : {}), ...(values.dataset ? { datasetKey: values.dataset } : {}), limit: intFlag('limit', values.limit, 50, 1) });
          if (values.json) printJson(io, runs.map(runJson));
          else io.out(table(runs) + '\n');
          return EXIT.ok;
        }
        case 'show': {
          const r = engine.resolve(id());
          const n = intFlag('lines', values.lines, 20, 0);
          const logTail = lastLines(runFiles(r.runDir).output, n);
          if (values.json) {
            printJson(io, { ...runJson(r), config: r.config, environment: r.environment ?? null, log_tail: logTail });
          } else {
            const lines = [
              `${r.id}  ${r.name}`,
              `  status:   ${describeRun(r)}`,
              `  dataset:  ${r.datasetKey}   recipe: ${r.recipe}   backend: ${r.environment?.backend ?? r.backend}${r.environment?.device ? ` (${r.environment.device})` : ''}   seed: ${r.seed}`,
              ...(r.command ? [`  command:  ${r.command.join(' ')}`] : []),
              `  created:  ${r.createdAt}${r.startedAt ? `   started: ${r.startedAt}` : ''}${r.endedAt ? `   ended: ${r.endedAt}` : ''}   attempts: ${r.attempts}`,
              `  folder:   ${r.runDir}`,
              ...(logTail.length ? ['  log:', ...logTail.map((l) => `    ${l}`)] : []),
            ];
            io.out(lines.join('\n') + '\n');
          }
          return EXIT.ok;
        }
        case 'cancel': {
          const r = await engine.cancel(id());
          if (values.json) printJson(io, runJson(r));
          else io.out(`${r.id}: ${describeRun(r)}\n`);
          return EXIT.ok;
        }
        case 'resume': {
          const r = await engine.resume(id());
          if (!values.json) io.err(`Resuming ${r.id} from its latest checkpoint (attempt ${r.attempts + 1})\n`);
          const final = values.detach ? await waitUntilStarted(engine, r.id) : await runInForeground(engine, r.id, io);
          reportEnd(final, io, !!values.json);
          return exitFor(final);
        }
        case 'delete': {
          // By the row's id, not the record: a row whose id is no folder name can be deleted too.
          const runId = engine.store.read((q) => resolveRunId(q, id()));
          await engine.delete(runId);
          if (values.json) printJson(io, { deleted: runId });
          else io.out(`Deleted run ${runId} and its folder.\n`);
          return EXIT.ok;
        }
      }
    });
  },
};
