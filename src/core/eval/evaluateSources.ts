// One evaluation from its sources, as the CLI and the extension ask for it: a stored run
// (its test split and predictions.jsonl, either replaceable by a file) or two files; judged,
// and stored with every item's result when a store is given.
import * as path from 'node:path';
import { UserError } from '../errors';
import type { Store } from '../store/store';
import { getRun, resolveRunId } from '../run/runStore';
import type { RunRecord } from '../run/types';
import { evaluate, type EvaluateOptions, type EvaluationResult } from './evaluate';
import { readEvalItems } from './evalItems';
import type { EvalItem, Judge } from './judges/types';
import { readPredictions } from './predictions';
import { readRunEvalItems } from './runEvalItems';
import { modelLabel, runPredictionsPath } from './runFacts';
import { saveEvaluation, type EvaluationMeta, type EvaluationSummary } from './store/evaluations';

export interface EvaluateSourcesRequest extends EvaluateOptions {
  judge: Judge;
  /** Judge settings stored with the evaluation (the LLM judge's model and URL). */
  judgeConfig?: Record<string, unknown> | null;
  /** Needed for runId, and to store the evaluation. */
  store?: Store;
  /** A run id or a unique prefix of one. */
  runId?: string;
  itemsPath?: string;
  predictionsPath?: string;
  /** Store the evaluation (default: true when a store is given). */
  save?: boolean;
}

export interface EvaluateSourcesResult {
  result: EvaluationResult;
  meta: EvaluationMeta;
  /** Set when the evaluation was stored. */
  stored?: EvaluationSummary;
}

export async function evaluateSources(req: EvaluateSourcesRequest): Promise<EvaluateSourcesResult> {
  let run: RunRecord | undefined;
  if (req.runId !== undefined) {
    if (!req.store) throw new UserError('Evaluating a run needs its database (--db PATH).');
    run = req.store.read((q) => getRun(q, resolveRunId(q, req.runId!)));
    if (!run) throw new UserError(`No run "${req.runId}" in this database.`);
    if (run.status === 'queued' || run.status === 'running') throw new UserError(`Run ${run.id} is still ${run.status}; evaluate it when it has finished.`);
  } else if (!req.itemsPath || !req.predictionsPath) {
    throw new UserError('Give a run (RUN_ID with --db PATH) or both --predictions FILE and --items FILE.');
  }
  let items: EvalItem[];
  let itemsSource: string;
  if (req.itemsPath) {
    items = readEvalItems(req.itemsPath);
    itemsSource = path.resolve(req.itemsPath);
  } else {
    items = readRunEvalItems(run!).items;
    itemsSource = `dataset ${run!.datasetKey} split test`;
  }
  const predictionsFile = req.predictionsPath ?? runPredictionsPath(run!);
  const predictions = readPredictions(predictionsFile);
  const result = await evaluate(items, predictions, req.judge, req);
  const meta: EvaluationMeta = {
    runId: run?.id ?? null,
    runName: run?.name ?? null,
    datasetKey: run?.datasetKey ?? null,
    model: run ? modelLabel(run) : null,
    itemsSource,
    predictionsSource: path.resolve(predictionsFile),
    judgeConfig: req.judgeConfig ?? null,
  };
  const save = req.save ?? !!req.store;
  if (save && !req.store) throw new UserError('Storing an evaluation needs a database (--db PATH).');
  const stored = save ? await saveEvaluation(req.store!, result, meta) : undefined;
  return { result, meta, ...(stored ? { stored } : {}) };
}
