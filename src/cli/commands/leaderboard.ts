// `tunix-rt leaderboard`: evaluations ranked by primary score.
import type { CliCommand } from '../command';
import { EXIT, intFlag, parse, printJson, required } from '../command';
import { formatLeaderboard } from '../../core/eval/format';

export const leaderboardCommand: CliCommand = {
  name: 'leaderboard',
  summary: 'Rank evaluated runs by primary score',
  help: `Usage: tunix-rt leaderboard --db PATH [--judge NAME] [--dataset KEY] [--since DATE] [--until DATE] [--search TEXT] [--all] [--limit N] [--json]

Lists evaluations ranked by primary score (equal scores share a rank): one row per run,
judge and eval set (its latest evaluation) unless --all. Scores of different judges do not
compare; filter with --judge to rank one judge's scores.

Options:
  --db PATH        the database
  --judge NAME     only this judge's evaluations (e.g. answer_correctness@v2)
  --dataset KEY    only runs on this dataset
  --since DATE     evaluated on or after (YYYY-MM-DD or ISO date-time)
  --until DATE     evaluated on or before (a bare date includes that day)
  --search TEXT    run id or name, dataset, model, judge or eval set containing TEXT
  --all            every evaluation, not only the latest per run, judge and eval set
  --limit N        at most N rows
  --json           print a JSON array of rows: {"rank", "evaluation_id", "run_id", "run_name",
                   "dataset_key", "model", "judge", "judge_model", "n_items", "n_scored",
                   "n_correct", "primary_score", "ci95", "evaluated_at", "items_source"}
  -h, --help       show this help`,
  async run(argv, io) {
    const { values } = parse(
      'leaderboard',
      argv,
      {
        db: { type: 'string' },
        judge: { type: 'string' },
        dataset: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        search: { type: 'string' },
        all: { type: 'boolean' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
      false,
    );
    if (values.help) return io.out(this.help + '\n'), EXIT.ok;
    const db = required('leaderboard', values, 'db');
    const limit = values.limit === undefined ? undefined : intFlag('limit', values.limit, undefined, 1);
    const { openStore } = await import('../../core/store');
    const { leaderboard } = await import('../../core/eval/leaderboard');
    const store = await openStore(db, { purpose: 'tunix-rt leaderboard' });
    try {
      const rows = store.read((q) =>
        leaderboard(q, { judge: values.judge, dataset: values.dataset, since: values.since, until: values.until, text: values.search, all: values.all, limit }),
      );
      if (values.json) printJson(io, rows);
      else io.out(formatLeaderboard(rows) + '\n');
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
