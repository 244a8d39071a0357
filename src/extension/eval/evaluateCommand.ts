// "Tunix: Evaluate Run...": picks a run (or a predictions file and an eval items file) and a
// judge, evaluates with progress and cancellation, stores the evaluation with every item's
// result and offers the next steps.
import * as vscode from 'vscode';
import type { EvaluationSummary } from '../../core/eval/store/evaluations';
import type { ExtensionContextServices } from '../platform/services';
import { runIdOf, stringField } from './args';
import { evalContext } from './evalCore';
import { llmJudgeOptions } from './llmJudgeSettings';
import { pickJudge, pickRun } from './pickers';
import { Commands, runCommand } from '../platform/commands';

export const FILES_SOURCE = 'Predictions and eval items files…';

export async function evaluateRun(s: ExtensionContextServices, arg: unknown, after: (e: EvaluationSummary) => void): Promise<EvaluationSummary | undefined> {
  const { store, m } = await evalContext(s);
  let runId = runIdOf(arg);
  let predictionsPath = stringField(arg, 'predictions');
  let itemsPath = stringField(arg, 'items');
  if (!runId && !(predictionsPath && itemsPath)) {
    const runs = store.read((q) => m.runs.listRuns(q)).filter((r) => r.status !== 'running' && r.status !== 'queued');
    const choice = await vscode.window.showQuickPick(
      [
        ...runs.map((r) => ({ label: r.name, description: `${r.status} · ${r.datasetKey}`, detail: r.id, id: r.id })),
        { label: FILES_SOURCE, description: 'an external trainer wrote predictions elsewhere', detail: '{"id", "prediction"} lines and {"id", "prompt", "expected_answer"} lines', id: '' },
      ],
      { title: 'Evaluate Run', placeHolder: runs.length ? 'Pick a run to evaluate on its test split' : 'No finished runs yet: evaluate files', matchOnDetail: true },
    );
    if (!choice) return undefined;
    if (choice.id) runId = choice.id;
    else {
      const jsonl = { 'JSON Lines': ['jsonl', 'json'] };
      predictionsPath = (await vscode.window.showOpenDialog({ title: 'Predictions ({"id", "prediction"} per line)', filters: jsonl, canSelectMany: false }))?.[0]?.fsPath;
      if (!predictionsPath) return undefined;
      itemsPath = (await vscode.window.showOpenDialog({ title: 'Eval items ({"id", "prompt", "expected_answer"} per line)', filters: jsonl, canSelectMany: false }))?.[0]?.fsPath;
      if (!itemsPath) return undefined;
    }
  }
  const defaultJudge = vscode.workspace.getConfiguration('tunix.eval').get<string>('defaultJudge', m.judges.DEFAULT_JUDGE_ID);
  const judgeName = stringField(arg, 'judge') ?? (await pickJudge(m, 'Evaluate Run: judge', defaultJudge));
  if (!judgeName) return undefined;
  // A bare name (from an argument) means its newest version; the full name is what is stored.
  const judgeId = m.judges.resolveJudgeName(judgeName);
  const llm = judgeId === m.judges.LLM_JUDGE_ID ? await llmJudgeOptions(s) : undefined;
  const judge = m.judges.resolveJudge(judgeId, { llm });
  // Who judged: the judge, and for a judge behind an endpoint, which model at which origin.
  const judgedBy = llm ? `${judge.id} (${llm.model} at ${llm.origin})` : judge.id;

  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Evaluating ${runId ?? 'predictions'} with ${judgedBy}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort(new vscode.CancellationError()));
      let reported = 0;
      try {
        const { stored } = await m.sources.evaluateSources({
          judge,
          judgeConfig: llm ? { url: llm.url, model: llm.model } : null,
          store,
          runId,
          itemsPath,
          predictionsPath,
          save: true,
          signal: abort.signal,
          onProgress(done, total) {
            const pctDone = Math.floor((100 * done) / total);
            if (pctDone > reported) progress.report({ increment: pctDone - reported, message: `${done}/${total} items` }), (reported = pctDone);
          },
        });
        return stored!;
      } finally {
        sub.dispose();
      }
    },
  );
  const sc = summary.scorecard;
  s.log.info(`Evaluated ${summary.runId ?? summary.predictionsSource} with ${judgedBy}: primary score ${sc.primary_score.toFixed(4)} on ${sc.n_items} items (${sc.n_scored} with a prediction); evaluation ${summary.id}.`);
  after(summary);
  const missing = summary.match.items_without_prediction ? ` ${summary.match.items_without_prediction} item(s) had no prediction.` : '';
  // The check is offered only where there is a baseline to check against (three buttons crowd the toast).
  const canCheck = !!summary.runId && store.read((q) => m.baselines.listBaselines(q)).length > 0;
  void vscode.window
    .showInformationMessage(
      `${judgedBy}: ${(sc.primary_score * 100).toFixed(1)}% on ${sc.n_items} items${summary.runId ? ` (${summary.runName ?? summary.runId})` : ''}.${missing}`,
      'Show Leaderboard',
      'Compare Runs…',
      ...(canCheck ? ['Check Against Baseline'] : []),
    )
    .then((a) => {
      if (a === 'Show Leaderboard') void runCommand(Commands.showLeaderboard);
      else if (a === 'Compare Runs…') void runCommand(Commands.compareRuns, { preselect: [summary.id] });
      else if (a === 'Check Against Baseline' && summary.runId) void runCommand(Commands.checkAgainstBaseline, summary.runId);
    });
  return summary;
}

/** Runs are picked among those not running (used by the baseline commands too). */
export async function pickFinishedRun(s: ExtensionContextServices, title: string): Promise<string | undefined> {
  const { store, m } = await evalContext(s);
  return pickRun(store, m, title, (r) => r.status !== 'running' && r.status !== 'queued');
}
