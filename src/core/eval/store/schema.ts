// The evaluation tables, the store's 'eval' migration domain:
//   eval_evaluations   one row per evaluation: what was judged (run, dataset, sources), by
//                      which judge, the scorecard (its headline numbers as columns for the
//                      leaderboard, the whole of it as JSON) and the id-match report.
//   eval_item_results  every item's verdict (expected, predicted, right/wrong, score, details).
//   eval_baselines     the regression baseline per (metric, judge).
//   eval_checks        every baseline check that ran, so views can show the last verdict.
// Run facts (dataset, recipe, model) are copied into the evaluation when it is stored, so the
// leaderboard still reads right after a run is deleted.
import { registerMigrations } from '../../store/migrations';

export const EVAL_DOMAIN = 'eval';

registerMigrations(EVAL_DOMAIN, [
  {
    version: 1,
    description: 'evaluations, per-item results, regression baselines and checks',
    up: `
CREATE TABLE eval_evaluations (
  id TEXT PRIMARY KEY,
  run_id TEXT,
  run_name TEXT,
  judge TEXT NOT NULL,
  judge_config TEXT,
  dataset_key TEXT,
  model TEXT,
  items_source TEXT NOT NULL,
  predictions_source TEXT NOT NULL,
  created_at TEXT NOT NULL,
  n_items INTEGER NOT NULL,
  n_scored INTEGER NOT NULL,
  n_correct INTEGER,
  primary_score REAL NOT NULL,
  scorecard TEXT NOT NULL,
  match TEXT NOT NULL
);
CREATE INDEX eval_evaluations_by_run ON eval_evaluations(run_id, judge, created_at);
CREATE INDEX eval_evaluations_by_score ON eval_evaluations(primary_score DESC, created_at DESC);
CREATE TABLE eval_item_results (
  evaluation_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  prompt TEXT NOT NULL,
  expected TEXT NOT NULL,
  predicted TEXT,
  correct INTEGER,
  score REAL NOT NULL,
  details TEXT NOT NULL,
  section TEXT,
  category TEXT,
  difficulty TEXT,
  PRIMARY KEY (evaluation_id, position)
) WITHOUT ROWID;
CREATE UNIQUE INDEX eval_item_results_by_item ON eval_item_results(evaluation_id, item_id);
CREATE TABLE eval_baselines (
  metric TEXT NOT NULL,
  judge TEXT NOT NULL,
  run_id TEXT NOT NULL,
  evaluation_id TEXT,
  value REAL NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
  tolerance REAL NOT NULL CHECK (tolerance >= 0),
  tolerance_kind TEXT NOT NULL CHECK (tolerance_kind IN ('absolute', 'relative')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (metric, judge)
) WITHOUT ROWID;
CREATE TABLE eval_checks (
  id TEXT PRIMARY KEY,
  metric TEXT NOT NULL,
  judge TEXT NOT NULL,
  run_id TEXT NOT NULL,
  baseline_run_id TEXT NOT NULL,
  value REAL NOT NULL,
  baseline_value REAL NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'regressed')),
  message TEXT NOT NULL,
  checked_at TEXT NOT NULL
);
CREATE INDEX eval_checks_by_run ON eval_checks(run_id, checked_at);
`,
  },
]);
