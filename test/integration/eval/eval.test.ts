// Evaluation in a real extension host: Evaluate Run on runs trained by the CLI (another
// process writing the same database), the leaderboard and run comparison panels (their pages
// load under the CSP and answer), regression baselines passing and failing, and the LLM judge
// reading its key from SecretStorage against a local fake endpoint.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { CheckReport } from '../../../src/core/eval/baselines';
import type { Baseline } from '../../../src/core/eval/regression';
import type { RunComparison } from '../../../src/core/eval/runComparison';
import type { EvaluationSummary } from '../../../src/core/eval/store/evaluations';
import { EVAL_FEATURE_HOOK, type EvalFeatureParts } from '../../../src/extension/eval/feature';
import { LLM_KEYS_SECRET } from '../../../src/extension/eval/llmJudgeSettings';
import type { LeaderboardView } from '../../../src/shared/leaderboardContract';
import { activate, featureParts, suiteDatabase, waitFor } from '../helpers';
import { buildPipeline, tunixCli, type Pipeline } from './pipeline';

const JUDGE = 'answer_correctness@v2';

function parts(): EvalFeatureParts {
  return featureParts<EvalFeatureParts>(EVAL_FEATURE_HOOK, 'eval');
}

describe('evaluation: evaluate, leaderboard, compare, baselines (integration)', function () {
  this.timeout(180_000);
  let p: Pipeline;
  let carryEval: EvaluationSummary;
  let noCarryEval: EvaluationSummary;

  const suite = suiteDatabase('.tunix-eval-it-', {
    prepare(db) {
      p = buildPipeline(db);
    },
  });

  after(async () => {
    await vscode.workspace.getConfiguration('tunix.eval.llmJudge').update('url', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('tunix.eval.llmJudge').update('model', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('evaluates runs the CLI trained (another process) and stores every item', async () => {
    carryEval = (await vscode.commands.executeCommand('tunix.evaluateRun', { runId: p.carryRun, judge: JUDGE })) as EvaluationSummary;
    assert.ok(carryEval, 'the command returned the stored evaluation');
    assert.equal(carryEval.runId, p.carryRun);
    assert.equal(carryEval.judge, JUDGE);
    assert.equal(carryEval.scorecard.primary_score, 1);
    assert.equal(carryEval.datasetKey, p.datasetKey);
    noCarryEval = (await vscode.commands.executeCommand('tunix.evaluateRun', { runId: p.noCarryRun, judge: JUDGE })) as EvaluationSummary;
    const score = noCarryEval.scorecard.primary_score;
    assert.ok(score > 0 && score < 1, `the no-carry run gets some items right, not all (${score})`);
    assert.equal(noCarryEval.scorecard.n_items, carryEval.scorecard.n_items);
  });

  it('the CLI sees the evaluations the extension stored', () => {
    const r = tunixCli(['leaderboard', '--db', p.db, '--json', '--judge', JUDGE], suite.dir);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout);
    assert.deepEqual(
      rows.map((x: any) => x.run_id),
      [p.carryRun, p.noCarryRun],
    );
  });

  it('shows the leaderboard: the page loads under its CSP and gets the ranked rows', async function () {
    this.timeout(150_000);
    const board = parts().leaderboard;
    const view = (await vscode.commands.executeCommand('tunix.showLeaderboard')) as LeaderboardView;
    assert.ok(board.isOpen);
    // The first webview of a fresh code-server registers its service worker first: on a busy
    // 2-core machine that alone has taken over 20 s.
    await waitFor(() => board.pageLoads > 0, 'the leaderboard page to load and say ready', 90_000);
    assert.deepEqual(
      view.rows.map((r) => [r.rank, r.run_id]),
      [
        [1, p.carryRun],
        [2, p.noCarryRun],
      ],
    );
    assert.deepEqual(view.facets.judges, [JUDGE]);
    assert.equal(view.totalEvaluations, 2);
    const filtered = (await vscode.commands.executeCommand('tunix.showLeaderboard', { text: 'no carry' })) as LeaderboardView;
    assert.deepEqual(
      filtered.rows.map((r) => r.run_id),
      [p.noCarryRun],
    );
    const none = (await vscode.commands.executeCommand('tunix.showLeaderboard', { since: '2999-01-01' })) as LeaderboardView;
    assert.deepEqual(none.rows, []);
    await vscode.commands.executeCommand('tunix.showLeaderboard', {});
  });

  it('a run evaluated by the CLI while the leaderboard is open appears on it', async () => {
    const r = tunixCli(['eval', p.noCarryRun, '--db', p.db, '--json'], suite.dir);
    assert.equal(r.code, 0, r.stderr);
    const board = parts().leaderboard;
    await waitFor(() => board.view?.rows.some((row) => row.judge === 'answer_correctness@v1'), 'the leaderboard to pick up the CLI evaluation', 30_000);
  });

  it('compares two runs item by item: fixed, both right, deltas, config differences, curves', async () => {
    const cmp = (await vscode.commands.executeCommand('tunix.compareRuns', { runs: [p.noCarryRun, p.carryRun], judge: JUDGE })) as RunComparison;
    assert.equal(cmp.runs.length, 2);
    assert.equal(cmp.runs[0].runId, p.noCarryRun);
    const pair = cmp.items.pairs[0];
    const rightWithoutCarry = noCarryEval.scorecard.n_correct!;
    assert.equal(pair.both_right, rightWithoutCarry);
    assert.equal(pair.fixed, carryEval.scorecard.n_items - rightWithoutCarry);
    assert.equal(pair.broken, 0);
    assert.ok(pair.p_value < 0.05, `a clear improvement is significant (p = ${pair.p_value})`);
    assert.ok(Math.abs(cmp.deltas[0].primary_score - (1 - noCarryEval.scorecard.primary_score)) < 1e-12);
    assert.ok(cmp.config.differences.length > 0 || cmp.config.same > 0);
    assert.ok(cmp.metricNames.includes('loss'), `loss curves are there (${cmp.metricNames.join(', ')})`);
    const panel = parts().comparisons.panels().find((x) => x.ids.length === 2);
    assert.ok(panel, 'a comparison panel is open');
    await new Promise<void>((resolve) => {
      // Reload the page: it must come back (ready) and get the comparison again.
      const sub = panel.host.onDidBecomeReady(() => (sub.dispose(), resolve()));
      panel.host.load();
    });
  });

  it('clicking a run opens its metrics (the Runs feature) in a panel', async () => {
    await vscode.commands.executeCommand('tunix.eval.openRun', p.carryRun);
    await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview, 'a webview panel in front');
  });

  it('regression baselines: a run within tolerance passes, a worse run regresses', async () => {
    const b = (await vscode.commands.executeCommand('tunix.setRegressionBaseline', { runId: p.carryRun, metric: 'primary_score', judge: JUDGE, tolerance: '0.05' })) as Baseline;
    assert.equal(b.value, 1);
    const pass = (await vscode.commands.executeCommand('tunix.checkAgainstBaseline', p.carryRun)) as CheckReport;
    assert.equal(pass.verdict, 'pass');
    const fail = (await vscode.commands.executeCommand('tunix.checkAgainstBaseline', p.noCarryRun)) as CheckReport;
    assert.equal(fail.verdict, 'regressed');
    assert.match(fail.checks[0].message, /^REGRESSED: primary_score \(answer_correctness@v2\)/);
    // The leaderboard shows the baseline and the verdict.
    const view = (await vscode.commands.executeCommand('tunix.showLeaderboard', { judge: JUDGE })) as LeaderboardView;
    const carryRow = view.rows.find((r) => r.run_id === p.carryRun)!;
    const noCarryRow = view.rows.find((r) => r.run_id === p.noCarryRun)!;
    assert.deepEqual(carryRow.baselineOf, ['primary_score']);
    assert.equal(noCarryRow.checks[0].verdict, 'regressed');
    // The CLI agrees (exit 1 = regressed), reading what the extension stored.
    assert.equal(tunixCli(['baseline', 'check', p.noCarryRun, '--db', p.db], suite.dir).code, 1);
    assert.equal(tunixCli(['baseline', 'check', p.carryRun, '--db', p.db], suite.dir).code, 0);
  });

  it('the LLM judge takes its URL and model from settings and its key from SecretStorage', async () => {
    const seen: Array<{ auth?: string; model: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const parsed = JSON.parse(body);
        seen.push({ auth: req.headers.authorization, model: parsed.model });
        const user: string = parsed.messages[1].content;
        const ref = /Reference answer:\n([\s\S]*?)\n\nCandidate answer:/.exec(user)![1];
        const cand = user.split('Candidate answer:\n')[1];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { content: JSON.stringify({ correct: cand.trim().endsWith(`Answer: ${ref}`), reason: 'compared' }) } }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const api = await activate();
      // Keys are stored per endpoint origin (see test/integration/security for why).
      await api.services.context.secrets.store(LLM_KEYS_SECRET, JSON.stringify({ [`http://127.0.0.1:${port}`]: 'sk-from-secret-storage' }));
      await vscode.workspace.getConfiguration('tunix.eval.llmJudge').update('url', `http://127.0.0.1:${port}/v1`, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.getConfiguration('tunix.eval.llmJudge').update('model', 'grader-test', vscode.ConfigurationTarget.Workspace);
      const e = (await vscode.commands.executeCommand('tunix.evaluateRun', { runId: p.carryRun, judge: 'llm_judge@v1' })) as EvaluationSummary;
      assert.ok(e, 'the evaluation ran');
      assert.equal(e.scorecard.primary_score, 1);
      assert.equal(seen.length, e.scorecard.n_items);
      assert.ok(seen.every((s) => s.auth === 'Bearer sk-from-secret-storage' && s.model === 'grader-test'));
      assert.deepEqual(e.judgeConfig, { url: `http://127.0.0.1:${port}/v1`, model: 'grader-test' });
      const settingsText = JSON.stringify(vscode.workspace.getConfiguration('tunix'));
      assert.ok(!settingsText.includes('sk-from-secret-storage'), 'the key is not in the settings');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await (await activate()).services.context.secrets.delete(LLM_KEYS_SECRET);
    }
  });
});
