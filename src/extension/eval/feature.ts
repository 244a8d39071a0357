// Evaluation in VS Code: Evaluate Run, the Leaderboard, Compare Runs and regression
// baselines. Thin: core evaluates, ranks, compares and decides verdicts; this file turns
// commands and webview messages into calls and shows the results.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { Feature } from '../platform/feature';
import type { ExtensionContextServices } from '../platform/services';
import { runIdOf, stringArray, stringField } from './args';
import { checkAgainstBaseline, setRegressionBaseline } from './baselineCommands';
import { evalContext } from './evalCore';
import { evaluateRun } from './evaluateCommand';
import { LeaderboardPanel } from './leaderboardPanel';
import { setLlmJudgeApiKey } from './llmJudgeSettings';
import { openItemTrace, openRun } from './openRun';
import { pickEvaluations } from './pickers';
import { RunComparePanels } from './runComparePanel';
import { Commands, runCommand } from '../platform/commands';

/** The feature's panels, published for the integration tests (they run in the same extension host). */
export interface EvalFeatureParts {
  leaderboard: LeaderboardPanel;
  comparisons: RunComparePanels;
}

/** Where the parts are published: a global symbol, because the tests are bundled separately. */
export const EVAL_FEATURE_HOOK = Symbol.for('tunix-rt.eval.feature');

/**
 * Evaluation ids from a command's arguments: ids, `{ evaluations }`, `{ runs, judge }` (their
 * latest evaluations), or the Runs view's multi-selection (its second argument).
 */
async function evaluationIdsOf(s: ExtensionContextServices, arg: unknown, selected: unknown): Promise<string[] | undefined> {
  const direct = stringArray(arg) ?? stringArray((arg as { evaluations?: unknown })?.evaluations);
  if (direct) return direct;
  const fromView = Array.isArray(selected) && selected.length > 1 ? selected.map(runIdOf).filter((x): x is string => !!x) : undefined;
  const runs = stringArray((arg as { runs?: unknown })?.runs) ?? fromView;
  if (runs) {
    const { store, m } = await evalContext(s);
    return m.comparison.resolveComparedEvaluations(store, runs, stringField(arg, 'judge'));
  }
  return undefined;
}

export const evalFeature: Feature = {
  name: 'eval',
  register(s) {
    const refreshLeaderboard = () => void leaderboard.refresh();
    const leaderboard: LeaderboardPanel = s.track(
      new LeaderboardPanel(s, {
        openRun: (runId) => runCommand(Commands.evalOpenRun, runId),
        compare: (ids) => runCommand(Commands.compareRuns, ids),
        setBaseline: (runId, judge) => runCommand(Commands.setRegressionBaseline, { runId, metric: 'primary_score', judge }),
        checkBaseline: (runId) => runCommand(Commands.checkAgainstBaseline, runId),
        evaluate: () => runCommand(Commands.evaluateRun),
      }),
    );
    const comparisons: RunComparePanels = s.track(
      new RunComparePanels(s, {
        openRun: (runId) => runCommand(Commands.evalOpenRun, runId),
        openTrace: (itemId) => openItemTrace(itemId),
        async pickAnother(exclude) {
          const { store, m } = await evalContext(s);
          const rows = store.read((q) => m.leaderboard.leaderboard(q)).filter((r) => !exclude.includes(r.evaluation_id));
          if (rows.length === 0) throw new UserError('Every evaluated run is already in this comparison.');
          const pick = await vscode.window.showQuickPick(
            rows.map((r) => ({ label: r.run_name ?? r.run_id ?? r.items_source, description: `${r.primary_score.toFixed(3)} · ${r.judge}`, detail: r.run_id ?? '', id: r.evaluation_id })),
            { title: 'Add a run to the comparison' },
          );
          return pick?.id;
        },
        setBaseline: (runId, judge) => runCommand(Commands.setRegressionBaseline, { runId, metric: 'primary_score', judge }),
      }),
    );
    const parts: EvalFeatureParts = { leaderboard, comparisons };
    (globalThis as Record<symbol, unknown>)[EVAL_FEATURE_HOOK] = parts;
    s.onDispose(() => {
      if ((globalThis as Record<symbol, unknown>)[EVAL_FEATURE_HOOK] === parts) delete (globalThis as Record<symbol, unknown>)[EVAL_FEATURE_HOOK];
    });

    s.registerCommand(Commands.evaluateRun, (arg?: unknown) => evaluateRun(s, arg, refreshLeaderboard));
    s.registerCommand(Commands.showLeaderboard, async (arg?: unknown) => {
      const filters = arg && typeof arg === 'object' && !Array.isArray(arg) ? (arg as Record<string, string>) : undefined;
      await leaderboard.show(filters);
      return leaderboard.view;
    });
    s.registerCommand(Commands.compareRuns, async (arg?: unknown, selected?: unknown) => {
      let ids = await evaluationIdsOf(s, arg, selected);
      if (!ids) {
        const { store, m } = await evalContext(s);
        ids = await pickEvaluations(store, m, 'Compare Runs', stringArray((arg as { preselect?: unknown })?.preselect));
        if (!ids) return undefined;
      }
      const panel = await comparisons.show(ids);
      // The panel says what went wrong; the command reports it too (a notification, and to callers).
      if (panel.error) throw panel.error;
      return panel.comparison;
    });
    s.registerCommand(Commands.setRegressionBaseline, (arg?: unknown) => setRegressionBaseline(s, arg, refreshLeaderboard));
    s.registerCommand(Commands.checkAgainstBaseline, (arg?: unknown) => checkAgainstBaseline(s, arg, refreshLeaderboard));
    s.registerCommand(Commands.setLlmJudgeApiKey, () => setLlmJudgeApiKey(s));
    // Internal (hidden from the palette): the click-through from the webviews.
    s.registerCommand(Commands.evalOpenRun, async (arg?: unknown) => {
      const runId = runIdOf(arg);
      if (!runId) throw new UserError('No run was given.');
      await openRun(s, runId);
    });
  },
};
