// "Tunix: Set Regression Baseline..." and "Tunix: Check Against Baseline...": the UI over
// core's regression gates. A failed check is an error notification that says which metric
// regressed, by how much and against which run, with the way to look closer.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { Baseline, Direction } from '../../core/eval/regression';
import type { CheckReport } from '../../core/eval/baselines';
import type { ExtensionContextServices } from '../platform/services';
import { runIdOf, stringField } from './args';
import { evalContext } from './evalCore';
import { pickFinishedRun } from './evaluateCommand';
import { pickTolerance } from './pickers';
import { Commands, runCommand } from '../platform/commands';

interface MetricChoice extends vscode.QuickPickItem {
  metric: string;
  judge?: string;
  value: number;
}

export async function setRegressionBaseline(s: ExtensionContextServices, arg: unknown, after: () => void): Promise<Baseline | undefined> {
  const { store, m } = await evalContext(s);
  const runId = runIdOf(arg) ?? (await pickFinishedRun(s, 'Set Regression Baseline: the baseline run'));
  if (!runId) return undefined;
  let metric = stringField(arg, 'metric');
  let judge = stringField(arg, 'judge');
  if (!metric) {
    const evaluations = store.read((q) => m.evaluations.listEvaluations(q, { runId }));
    const latestByJudge = new Map<string, number>();
    for (const e of evaluations) if (!latestByJudge.has(e.judge)) latestByJudge.set(e.judge, e.scorecard.primary_score);
    const run = store.read((q) => m.runs.getRun(q, runId));
    const training = run ? await m.runFacts.finalTrainingMetrics(run.runDir) : {};
    const choices: MetricChoice[] = [
      ...[...latestByJudge].map(([j, v]) => ({ label: 'primary_score', description: `${j} · now ${v.toFixed(4)}`, detail: 'The answer score of its latest evaluation by this judge', metric: 'primary_score', judge: j, value: v })),
      ...Object.entries(training).map(([k, v]) => ({ label: k, description: `last value ${v.toPrecision(4)}`, detail: 'A training metric from its metrics file', metric: k, value: v })),
    ];
    if (choices.length === 0) throw new UserError(`Run ${runId} has neither an evaluation nor training metrics yet; evaluate it first ("Tunix: Evaluate Run...").`);
    const pick = await vscode.window.showQuickPick(choices, { title: `Set Regression Baseline: which metric of ${runId}?`, matchOnDescription: true });
    if (!pick) return undefined;
    metric = pick.metric;
    judge = pick.judge;
  }
  let direction = (stringField(arg, 'direction') as Direction | undefined) ?? m.regression.defaultDirection(metric);
  if (!direction) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'Higher is better', id: 'higher' as const },
        { label: 'Lower is better', id: 'lower' as const },
      ],
      { title: `Is a higher or a lower ${metric} better?` },
    );
    if (!pick) return undefined;
    direction = pick.id;
  }
  const tolArg = stringField(arg, 'tolerance');
  const tol = tolArg !== undefined ? m.regression.parseTolerance(tolArg) : await pickTolerance(metric);
  if (!tol) return undefined;
  const baseline = await m.baselines.setBaseline(store, { runId, metric, judge, direction, ...tol });
  after();
  void vscode.window.showInformationMessage(
    `Baseline set: ${baseline.metric}${baseline.judge ? ` (${baseline.judge})` : ''} = ${+baseline.value.toFixed(6)} from ${runId}; ${baseline.direction} is better, tolerance ${m.regression.formatTolerance(baseline)}.`,
  );
  return baseline;
}

export async function checkAgainstBaseline(s: ExtensionContextServices, arg: unknown, after: () => void): Promise<CheckReport | undefined> {
  const { store, m } = await evalContext(s);
  if (store.read((q) => m.baselines.listBaselines(q)).length === 0) {
    throw new UserError('No regression baseline is set. Mark a run as the baseline first ("Tunix: Set Regression Baseline...").');
  }
  const runId = runIdOf(arg) ?? (await pickFinishedRun(s, 'Check Against Baseline: the run to check'));
  if (!runId) return undefined;
  const report = await m.baselines.checkRun(store, { runId, metric: stringField(arg, 'metric') });
  after();
  for (const c of report.checks) {
    (c.verdict === 'pass' ? s.log.info : s.log.warn).call(s.log, c.message);
    for (const w of c.warnings) s.log.warn(w);
  }
  const regressed = report.checks.filter((c) => c.verdict === 'regressed');
  if (regressed.length === 0) {
    const first = report.checks[0];
    void vscode.window.showInformationMessage(
      report.checks.length === 1 ? `✓ ${first.message}` : `✓ PASS: ${runId} is within tolerance of all ${report.checks.length} baselines.`,
      'Show Details',
    ).then((a) => a && s.log.show(true));
  } else {
    const worst = regressed[0];
    const compare = 'Compare with Baseline Run';
    const options = worst.judge ? ['Show Details', compare] : ['Show Details'];
    void vscode.window.showErrorMessage(
      regressed.length === 1 ? `✗ ${worst.message}` : `✗ REGRESSED on ${regressed.length} of ${report.checks.length} baselines. ${worst.message}`,
      ...options,
    ).then((a) => {
      if (a === 'Show Details') s.log.show(true);
      else if (a === compare) void runCommand(Commands.compareRuns, { runs: [worst.baselineRunId, runId], judge: worst.judge });
    });
  }
  return report;
}
