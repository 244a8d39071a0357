// The leaderboard: evaluations ranked by primary score. By default one row per run, judge
// and eval set (its latest evaluation), so re-evaluating a run replaces its row instead of
// crowding the board. Scores of different judges are never ranked against each other
// silently: each row names its judge, and `judge` filters to one.
import { UserError } from '../errors';
import type { Reader } from '../store/store';
import './store/schema';

export interface LeaderboardQuery {
  judge?: string;
  dataset?: string;
  /** ISO date or date-time; evaluations at or after it. */
  since?: string;
  /** ISO date or date-time; evaluations at or before it (a bare date includes that whole day). */
  until?: string;
  /** Case-insensitive substring of run id, run name, dataset, model, judge or items source. */
  text?: string;
  /** Every evaluation instead of the latest per run, judge and eval set. */
  all?: boolean;
  limit?: number;
}

export interface LeaderboardRow {
  /** 1-based; equal scores share a rank (1, 2, 2, 4). */
  rank: number;
  evaluation_id: string;
  run_id: string | null;
  run_name: string | null;
  dataset_key: string | null;
  model: string | null;
  judge: string;
  /** The LLM judge's model, when the judge has one. */
  judge_model: string | null;
  n_items: number;
  n_scored: number;
  n_correct: number | null;
  primary_score: number;
  ci95: [number, number] | null;
  evaluated_at: string;
  items_source: string;
}

interface Row {
  id: string;
  run_id: string | null;
  run_name: string | null;
  dataset_key: string | null;
  model: string | null;
  judge: string;
  judge_config: string | null;
  n_items: number;
  n_scored: number;
  n_correct: number | null;
  primary_score: number;
  scorecard: string;
  created_at: string;
  items_source: string;
}

/** Accepts 2024-05-01 or a full ISO date-time; returns an ISO string to compare with created_at. */
export function parseDateBound(value: string, end: boolean, flag: string): string {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const t = Date.parse(`${v}T00:00:00.000Z`);
    if (Number.isFinite(t)) return new Date(end ? t + 86_400_000 - 1 : t).toISOString();
  } else {
    const t = Date.parse(v);
    if (Number.isFinite(t) && /^\d{4}-\d{2}-\d{2}T/.test(v)) return new Date(t).toISOString();
  }
  throw new UserError(`${flag} "${value}" is not a date: use YYYY-MM-DD or an ISO date-time such as 2025-01-31T12:00:00Z.`);
}

export function leaderboard(q: Reader, query: LeaderboardQuery = {}): LeaderboardRow[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.judge) where.push('judge = ?'), params.push(query.judge);
  if (query.dataset) where.push('dataset_key = ?'), params.push(query.dataset);
  if (query.since) where.push('created_at >= ?'), params.push(parseDateBound(query.since, false, '--since'));
  if (query.until) where.push('created_at <= ?'), params.push(parseDateBound(query.until, true, '--until'));
  if (query.text?.trim()) {
    const like = `%${query.text.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const cols = ['run_id', 'run_name', 'dataset_key', 'model', 'judge', 'items_source', 'id'];
    where.push(`(${cols.map((c) => `lower(coalesce(${c}, '')) LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    params.push(...cols.map(() => like));
  }
  const filtered = `SELECT * FROM eval_evaluations${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  // One row per (run or predictions file, judge, eval set): the latest.
  const latest = query.all
    ? filtered
    : `SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY coalesce(run_id, 'file:' || predictions_source), judge, coalesce(judge_config, ''), items_source
         ORDER BY created_at DESC, id DESC) AS rn FROM (${filtered})) WHERE rn = 1`;
  const limit = query.limit ? ` LIMIT ${Math.max(1, Math.floor(query.limit))}` : '';
  const rows = q.all<Row>(
    `SELECT id, run_id, run_name, dataset_key, model, judge, judge_config, n_items, n_scored, n_correct, primary_score, scorecard, created_at, items_source
     FROM (${latest}) ORDER BY primary_score DESC, n_items DESC, created_at ASC, id ASC${limit}`,
    params,
  );
  let rank = 0;
  let previous: number | undefined;
  return rows.map((r, i) => {
    if (r.primary_score !== previous) rank = i + 1;
    previous = r.primary_score;
    const sc = JSON.parse(r.scorecard) as { ci95?: [number, number] };
    const config = r.judge_config ? (JSON.parse(r.judge_config) as { model?: unknown }) : null;
    return {
      rank,
      evaluation_id: r.id,
      run_id: r.run_id,
      run_name: r.run_name,
      dataset_key: r.dataset_key,
      model: r.model,
      judge: r.judge,
      judge_model: typeof config?.model === 'string' ? config.model : null,
      n_items: r.n_items,
      n_scored: r.n_scored,
      n_correct: r.n_correct,
      primary_score: r.primary_score,
      ci95: sc.ci95 ?? null,
      evaluated_at: r.created_at,
      items_source: r.items_source,
    };
  });
}

/** The distinct values the leaderboard's filters offer. */
export function leaderboardFacets(q: Reader): { judges: string[]; datasets: string[] } {
  return {
    judges: q.all<{ judge: string }>('SELECT DISTINCT judge FROM eval_evaluations ORDER BY judge').map((r) => r.judge),
    datasets: q.all<{ d: string }>('SELECT DISTINCT dataset_key AS d FROM eval_evaluations WHERE dataset_key IS NOT NULL ORDER BY d').map((r) => r.d),
  };
}
