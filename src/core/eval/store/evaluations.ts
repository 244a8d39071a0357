// Stored evaluations: saving one with every item's result, reading them back, finding a run's
// latest, deleting. Reads take a Reader (inside store.read), writes go through store.write.
import { randomUUID } from 'node:crypto';
import { UserError } from '../../errors';
import type { Reader, Store, Writer } from '../../store/store';
import type { EvaluationResult, MatchReport } from '../evaluate';
import type { ItemResult, Scorecard } from '../scorecard';
import './schema';

/** Where an evaluation came from: shown in the leaderboard and the comparison. */
export interface EvaluationMeta {
  runId?: string | null;
  runName?: string | null;
  datasetKey?: string | null;
  /** Recipe / model, for the leaderboard ("sft_transformer 2x64", "python train.py"). */
  model?: string | null;
  /** "dataset addition-1 split test" or the items file path. */
  itemsSource: string;
  /** The predictions file path. */
  predictionsSource: string;
  /** Judge settings that change its scores (the LLM judge's model and URL); never keys. */
  judgeConfig?: Record<string, unknown> | null;
  /** ISO 8601; defaults to now. */
  createdAt?: string;
}

export interface EvaluationSummary {
  id: string;
  runId: string | null;
  runName: string | null;
  judge: string;
  judgeConfig: Record<string, unknown> | null;
  datasetKey: string | null;
  model: string | null;
  itemsSource: string;
  predictionsSource: string;
  createdAt: string;
  scorecard: Scorecard;
  match: MatchReport;
}

interface EvaluationRow {
  id: string;
  run_id: string | null;
  run_name: string | null;
  judge: string;
  judge_config: string | null;
  dataset_key: string | null;
  model: string | null;
  items_source: string;
  predictions_source: string;
  created_at: string;
  scorecard: string;
  match: string;
}

interface ItemRow {
  item_id: string;
  prompt: string;
  expected: string;
  predicted: string | null;
  correct: number | null;
  score: number;
  details: string;
  section: string | null;
  category: string | null;
  difficulty: string | null;
}

const SUMMARY_COLUMNS = 'id, run_id, run_name, judge, judge_config, dataset_key, model, items_source, predictions_source, created_at, scorecard, match';

function toSummary(r: EvaluationRow): EvaluationSummary {
  return {
    id: r.id,
    runId: r.run_id,
    runName: r.run_name,
    judge: r.judge,
    judgeConfig: r.judge_config ? (JSON.parse(r.judge_config) as Record<string, unknown>) : null,
    datasetKey: r.dataset_key,
    model: r.model,
    itemsSource: r.items_source,
    predictionsSource: r.predictions_source,
    createdAt: r.created_at,
    scorecard: JSON.parse(r.scorecard) as Scorecard,
    match: JSON.parse(r.match) as MatchReport,
  };
}

function toItem(r: ItemRow): ItemResult {
  const item: ItemResult = {
    item_id: r.item_id,
    prompt: r.prompt,
    expected: r.expected,
    predicted: r.predicted,
    correct: r.correct === null ? null : r.correct === 1,
    score: r.score,
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
  if (r.section !== null) item.section = r.section;
  if (r.category !== null) item.category = r.category;
  if (r.difficulty !== null) item.difficulty = r.difficulty;
  return item;
}

/** Writes the evaluation and all its item results in one transaction; returns its summary. */
export function insertEvaluation(tx: Writer, result: EvaluationResult, meta: EvaluationMeta, id: string = randomUUID()): EvaluationSummary {
  const sc = result.scorecard;
  const createdAt = meta.createdAt ?? new Date().toISOString();
  tx.run(
    `INSERT INTO eval_evaluations (id, run_id, run_name, judge, judge_config, dataset_key, model, items_source, predictions_source, created_at,
       n_items, n_scored, n_correct, primary_score, scorecard, match) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      meta.runId ?? null,
      meta.runName ?? null,
      result.judge,
      meta.judgeConfig ? JSON.stringify(meta.judgeConfig) : null,
      meta.datasetKey ?? null,
      meta.model ?? null,
      meta.itemsSource,
      meta.predictionsSource,
      createdAt,
      sc.n_items,
      sc.n_scored,
      sc.n_correct,
      sc.primary_score,
      JSON.stringify(sc),
      JSON.stringify(result.match),
    ],
  );
  const sql = `INSERT INTO eval_item_results (evaluation_id, position, item_id, prompt, expected, predicted, correct, score, details, section, category, difficulty)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  result.items.forEach((r, position) => {
    tx.run(sql, [id, position, r.item_id, r.prompt, r.expected, r.predicted, r.correct === null ? null : r.correct ? 1 : 0, r.score, JSON.stringify(r.details), r.section ?? null, r.category ?? null, r.difficulty ?? null]);
  });
  return {
    id,
    runId: meta.runId ?? null,
    runName: meta.runName ?? null,
    judge: result.judge,
    judgeConfig: meta.judgeConfig ?? null,
    datasetKey: meta.datasetKey ?? null,
    model: meta.model ?? null,
    itemsSource: meta.itemsSource,
    predictionsSource: meta.predictionsSource,
    createdAt,
    scorecard: sc,
    match: result.match,
  };
}

export async function saveEvaluation(store: Store, result: EvaluationResult, meta: EvaluationMeta): Promise<EvaluationSummary> {
  return store.write((tx) => insertEvaluation(tx, result, meta));
}

export function getEvaluation(q: Reader, id: string): EvaluationSummary | undefined {
  const row = q.get<EvaluationRow>(`SELECT ${SUMMARY_COLUMNS} FROM eval_evaluations WHERE id = ?`, [id]);
  return row && toSummary(row);
}

export function getItemResults(q: Reader, evaluationId: string): ItemResult[] {
  return q.all<ItemRow>(
    'SELECT item_id, prompt, expected, predicted, correct, score, details, section, category, difficulty FROM eval_item_results WHERE evaluation_id = ? ORDER BY position',
    [evaluationId],
  ).map(toItem);
}

/** Newest first; optionally one run's, one judge's. */
export function listEvaluations(q: Reader, filter: { runId?: string; judge?: string; limit?: number } = {}): EvaluationSummary[] {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.runId !== undefined) where.push('run_id = ?'), params.push(filter.runId);
  if (filter.judge !== undefined) where.push('judge = ?'), params.push(filter.judge);
  const limit = filter.limit ? ` LIMIT ${Math.max(1, Math.floor(filter.limit))}` : '';
  return q
    .all<EvaluationRow>(`SELECT ${SUMMARY_COLUMNS} FROM eval_evaluations${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC${limit}`, params)
    .map(toSummary);
}

/** The run's most recent evaluation (by that judge, when given). */
export function latestEvaluationOfRun(q: Reader, runId: string, judge?: string): EvaluationSummary | undefined {
  return listEvaluations(q, { runId, judge, limit: 1 })[0];
}

/** Finds an evaluation by its id or a unique prefix (at least 4 characters). */
export function resolveEvaluationId(q: Reader, idOrPrefix: string): string {
  if (q.get('SELECT 1 AS x FROM eval_evaluations WHERE id = ?', [idOrPrefix])) return idOrPrefix;
  if (idOrPrefix.length >= 4) {
    const like = idOrPrefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
    const matches = q.all<{ id: string }>("SELECT id FROM eval_evaluations WHERE id LIKE ? ESCAPE '\\' LIMIT 6", [like]);
    if (matches.length === 1) return matches[0].id;
    if (matches.length > 1) throw new UserError(`"${idOrPrefix}" matches several evaluations (${matches.map((m) => m.id).join(', ')}); give more of the id.`);
  }
  throw new UserError(`No evaluation "${idOrPrefix}". See \`tunix-rt leaderboard --db PATH\` for evaluation ids.`);
}

export function deleteEvaluation(tx: Writer, id: string): boolean {
  tx.run('DELETE FROM eval_item_results WHERE evaluation_id = ?', [id]);
  return tx.run('DELETE FROM eval_evaluations WHERE id = ?', [id]).changes > 0;
}

export function countEvaluations(q: Reader): number {
  return q.get<{ n: number }>('SELECT count(*) AS n FROM eval_evaluations')?.n ?? 0;
}
