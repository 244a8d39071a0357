// `tunix-rt compare`: two or more evaluated runs item by item, as the Compare Runs view shows
// them, for terminals and CI logs.
import type { CliCommand } from '../command';
import { EXIT, parse, printJson, required } from '../command';
import { UserError } from '../../core/errors';
import { ITEM_OUTCOMES, type ItemOutcome } from '../../core/eval/compare';
import { formatComparison } from '../../core/eval/format';

function outcomesFlag(value: string | undefined): ItemOutcome[] {
  if (value === undefined) return [];
  if (value === 'changed') return ['fixed', 'broken'];
  if (value === 'all') return [...ITEM_OUTCOMES];
  const picked = value.split(',').map((s) => s.trim().replace('-', '_'));
  for (const o of picked) {
    if (!(ITEM_OUTCOMES as readonly string[]).includes(o)) throw new UserError(`--items: "${o}" is not an outcome; use changed, all, or a list of ${ITEM_OUTCOMES.join(', ')}.`);
  }
  return picked as ItemOutcome[];
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'Compare evaluated runs item by item',
  help: `Usage: tunix-rt compare REF OTHER... --db PATH [--judge NAME] [--items changed|all|OUTCOME,...] [--json]

Compares two or more evaluations item by item. Each of REF and OTHER is an evaluation id or a
run id (its latest evaluation; with --judge, its latest by that judge). Every other run is
compared with REF, the first: the score delta, the items it fixed (REF wrong, it right) and
broke (REF right, it wrong), both right, both wrong, items only one has, and the two-sided
exact McNemar p-value of fixed against broken (small: more than chance). Also lists the
config keys whose values differ.

Options:
  --db PATH        the database
  --judge NAME     for run ids: their latest evaluation by this judge (e.g. answer_correctness@v2)
  --items WHICH    also list items: "changed" (fixed or broken), "all", or outcomes from
                   fixed, broken, both_right, both_wrong, missing (comma-separated)
  --json           print {"runs", "deltas", "pairs", "config", "warnings", "items"}; "items"
                   holds the rows --items selects (every row when --items is not given)
  -h, --help       show this help

Exit codes: 0 compared, 2 could not (unknown run, fewer than two, bad flags).`,
  async run(argv, io) {
    const { values, positionals } = parse('compare', argv, {
      db: { type: 'string' },
      judge: { type: 'string' },
      items: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return io.out(this.help + '\n'), EXIT.ok;
    const db = required('compare', values, 'db');
    if (positionals.length < 2) throw new UserError('Give at least two evaluated runs (or evaluation ids) to compare. Run `tunix-rt compare --help` for usage.');
    const outcomes = outcomesFlag(values.items);
    const { openStore } = await import('../../core/store');
    const { buildRunComparison, resolveComparedEvaluations } = await import('../../core/eval/runComparison');
    const store = await openStore(db, { purpose: 'tunix-rt compare', create: false });
    try {
      const ids = resolveComparedEvaluations(store, positionals, values.judge);
      const c = await buildRunComparison(store, ids);
      if (values.json) {
        const rows = values.items === undefined ? c.items.rows : c.items.rows.filter((r) => r.outcomes.some((o) => outcomes.includes(o)));
        printJson(io, { runs: c.runs, deltas: c.deltas, pairs: c.items.pairs, config: c.config, warnings: c.items.warnings, items: rows });
      } else {
        io.out(formatComparison(c, outcomes) + '\n');
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
