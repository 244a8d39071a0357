// `tunix-rt baseline set|check|list|remove`: regression gates for CI. `check` exits 1 when
// the run regressed against any baseline it is checked against, 0 when it passes.
import type { CliCommand, Io } from '../command';
import { EXIT, parse, printJson, required } from '../command';
import { UserError } from '../../core/errors';
import { formatTolerance, parseTolerance, type Direction } from '../../core/eval/regression';

const VERBS = ['set', 'check', 'list', 'remove'] as const;

const HELP: Record<(typeof VERBS)[number] | 'main', string> = {
  main: `Usage: tunix-rt baseline <set|check|list|remove> ... [--json]

Regression gates. A baseline is one run's value of a metric (primary_score of its
evaluation by a judge, or a training metric such as eval_loss), with a direction and a
tolerance. \`check\` exits 1 when a run regresses, so CI pipelines can gate on it.

  tunix-rt baseline set RUN_ID --db PATH [--metric NAME] [--judge NAME] [--higher-is-better | --lower-is-better] [--tolerance T]
  tunix-rt baseline check RUN_ID --db PATH [--metric NAME] [--judge NAME]
  tunix-rt baseline list --db PATH
  tunix-rt baseline remove --db PATH --metric NAME [--judge NAME]

Run \`tunix-rt baseline <verb> --help\` for each verb's options.`,
  set: `Usage: tunix-rt baseline set RUN_ID --db PATH [--metric NAME] [--judge NAME] [--higher-is-better | --lower-is-better] [--tolerance T] [--json]

Makes RUN_ID the baseline of a metric, replacing the previous baseline of that metric (and
judge). Its current value is recorded; re-evaluating the run later does not move it.

Options:
  --db PATH             the database
  --metric NAME         primary_score (default; the run's latest evaluation by --judge) or a
                        training metric the run logged (loss, eval_loss, ...: its last value)
  --judge NAME          for primary_score: the judge (default: the one the run was evaluated with)
  --higher-is-better    direction (default for primary_score)
  --lower-is-better     direction (default for names like loss, error, perplexity, latency)
  --tolerance T         how much worse still passes: absolute (0.02) or relative (5%); default 0
  --json                print the baseline as JSON
  -h, --help            show this help`,
  check: `Usage: tunix-rt baseline check RUN_ID --db PATH [--metric NAME] [--judge NAME] [--json]

Checks RUN_ID against every baseline (or those of --metric / --judge) and prints a verdict
per baseline. The check is recorded in the database.

Options:
  --db PATH        the database
  --metric NAME    only the baseline of this metric
  --judge NAME     only baselines of this judge
  --json           print {"run_id", "verdict": "pass" | "regressed", "checks": [...]}
  -h, --help       show this help

Exit codes: 0 passes every baseline, 1 regressed, 2 could not check (no baseline, the run not
evaluated, unknown run).`,
  list: `Usage: tunix-rt baseline list --db PATH [--json]

Lists the regression baselines.

Options:
  --db PATH    the database
  --json       print a JSON array
  -h, --help   show this help`,
  remove: `Usage: tunix-rt baseline remove --db PATH --metric NAME [--judge NAME] [--json]

Removes the baseline of a metric (and judge).

Options:
  --db PATH        the database
  --metric NAME    the metric
  --judge NAME     the judge (evaluation metrics)
  --json           print {"removed": true|false}
  -h, --help       show this help`,
};

async function withStore<T>(db: string, fn: (store: import('../../core/store').Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../../core/store');
  const store = await openStore(db, { purpose: 'tunix-rt baseline' });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function oneRun(verb: string, positionals: string[]): string {
  if (positionals.length !== 1) throw new UserError(`baseline ${verb} takes one RUN_ID${positionals.length ? `, got ${positionals.length}` : ''}. Run \`tunix-rt baseline ${verb} --help\` for usage.`);
  return positionals[0];
}

async function runVerb(verb: (typeof VERBS)[number], argv: string[], io: Io): Promise<number> {
  const common = { db: { type: 'string' as const }, json: { type: 'boolean' as const }, metric: { type: 'string' as const }, judge: { type: 'string' as const } };
  if (verb === 'set') {
    const { values, positionals } = parse('baseline set', argv, {
      ...common,
      'higher-is-better': { type: 'boolean' },
      'lower-is-better': { type: 'boolean' },
      tolerance: { type: 'string' },
    });
    if (values.help) return io.out(HELP.set + '\n'), EXIT.ok;
    const runArg = oneRun('set', positionals);
    const db = required('baseline set', values, 'db');
    if (values['higher-is-better'] && values['lower-is-better']) throw new UserError('Choose one of --higher-is-better and --lower-is-better.');
    const direction: Direction | undefined = values['higher-is-better'] ? 'higher' : values['lower-is-better'] ? 'lower' : undefined;
    const tol = parseTolerance(values.tolerance ?? '0');
    const { setBaseline } = await import('../../core/eval/baselines');
    const baseline = await withStore(db, async (store) => {
      const runId = await resolveRun(store, runArg);
      return setBaseline(store, { runId, metric: values.metric ?? 'primary_score', judge: values.judge, direction, ...tol });
    });
    if (values.json) printJson(io, baseline);
    else {
      io.out(
        `Baseline set: ${baseline.metric}${baseline.judge ? ` (${baseline.judge})` : ''} = ${baseline.value} from run ${baseline.runId}; ${baseline.direction} is better, tolerance ${formatTolerance(baseline)}.\n`,
      );
    }
    return EXIT.ok;
  }
  if (verb === 'check') {
    const { values, positionals } = parse('baseline check', argv, common);
    if (values.help) return io.out(HELP.check + '\n'), EXIT.ok;
    const runArg = oneRun('check', positionals);
    const db = required('baseline check', values, 'db');
    const { checkRun } = await import('../../core/eval/baselines');
    const report = await withStore(db, async (store) => checkRun(store, { runId: await resolveRun(store, runArg), metric: values.metric, judge: values.judge }));
    if (values.json) {
      printJson(io, { run_id: report.runId, verdict: report.verdict, checks: report.checks });
    } else {
      for (const c of report.checks) {
        io.out(c.message + '\n');
        for (const w of c.warnings) io.out(`  warning: ${w}\n`);
      }
      io.out(report.verdict === 'pass' ? `Verdict: PASS (${report.checks.length} baseline${report.checks.length === 1 ? '' : 's'}).\n` : `Verdict: REGRESSED (${report.checks.filter((c) => c.verdict === 'regressed').length} of ${report.checks.length} baselines).\n`);
    }
    return report.verdict === 'pass' ? EXIT.ok : EXIT.problems;
  }
  if (verb === 'list') {
    const { values } = parse('baseline list', argv, { db: common.db, json: common.json }, false);
    if (values.help) return io.out(HELP.list + '\n'), EXIT.ok;
    const db = required('baseline list', values, 'db');
    const { listBaselines } = await import('../../core/eval/baselines');
    const list = await withStore(db, async (store) => store.read((q) => listBaselines(q)));
    if (values.json) printJson(io, list);
    else if (list.length === 0) io.out('No baselines. Set one with `tunix-rt baseline set RUN_ID --db PATH`.\n');
    else for (const b of list) io.out(`${b.metric}${b.judge ? ` (${b.judge})` : ''}: ${b.value} from run ${b.runId}, ${b.direction} is better, tolerance ${formatTolerance(b)}, set ${b.createdAt}\n`);
    return EXIT.ok;
  }
  const { values } = parse('baseline remove', argv, { db: common.db, json: common.json, metric: common.metric, judge: common.judge }, false);
  if (values.help) return io.out(HELP.remove + '\n'), EXIT.ok;
  const db = required('baseline remove', values, 'db');
  const metric = required('baseline remove', values, 'metric');
  const { removeBaseline } = await import('../../core/eval/baselines');
  const removed = await withStore(db, (store) => removeBaseline(store, metric, values.judge));
  if (values.json) printJson(io, { removed });
  else io.out(removed ? `Removed the baseline of ${metric}.\n` : `There was no baseline of ${metric}.\n`);
  return removed ? EXIT.ok : EXIT.problems;
}

/** A run id or prefix; a run deleted from the runs table may still have evaluations by its id. */
async function resolveRun(store: import('../../core/store').Store, arg: string): Promise<string> {
  const { resolveRunId } = await import('../../core/run/runStore');
  const { hasEvaluations } = await import('../../core/eval/baselines');
  try {
    return store.read((q) => resolveRunId(q, arg));
  } catch (err) {
    if (store.read((q) => hasEvaluations(q, arg))) return arg;
    throw err;
  }
}

export const baselineCommand: CliCommand = {
  name: 'baseline',
  summary: 'Set regression baselines and check runs against them (exit 1 on regression)',
  help: HELP.main,
  async run(argv, io) {
    const [verb, ...rest] = argv;
    if (verb === undefined || verb === '--help' || verb === '-h') {
      io.out(HELP.main + '\n');
      return verb ? EXIT.ok : EXIT.usage;
    }
    if (!(VERBS as readonly string[]).includes(verb)) throw new UserError(`Unknown verb "${verb}". Verbs: ${VERBS.join(', ')}. Run \`tunix-rt baseline --help\`.`);
    return runVerb(verb as (typeof VERBS)[number], rest, io);
  },
};
