// Evaluation as a user sees it in a real VS Code: a run trained by the built-in trainer and
// two runs of an external trainer (the column adder, with and without carrying) are evaluated
// from the command palette, appear on the leaderboard, are compared item by item (fixed /
// broken / both right / both wrong, with a click through to an item's trace), and a
// regression check passes and fails as it should. Screenshots in the dark and light themes:
// test-results/screenshots/eval-*.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import {
  answerInputBox,
  clearNotifications,
  cspViolations,
  focusView,
  getWebviewFrame,
  openFile,
  openWorkbench,
  pickQuickItem,
  runCommand,
  screenshot,
  setTheme,
  visibleQuickRows,
  waitFor,
  waitForLightBackground,
  waitForNotification,
  waitForQuickInput,
  workspacePath,
  writeWorkspaceSettings,
} from '../harness';
import { externalRun, tunixCli, tunixJson } from '../../integration/eval/pipeline';

const JUDGE = 'answer_correctness@v2';

/** Picks an item of the quick pick titled `title` (waits for that quick pick, not the palette). */
async function pickIn(title: string, label: string): Promise<void> {
  await waitForQuickInput(title);
  await pickQuickItem(label);
}

/**
 * Brings a panel's tab to the front and waits until its page shows `selector` (a hidden panel
 * drops its page, so it reloads), so focus has settled in it before the next command.
 */
async function showPanel(tab: string, selector: string): Promise<Frame> {
  const page = await openWorkbench();
  await page.locator('.tabs-container .tab', { hasText: tab }).first().click();
  const frame = await getWebviewFrame(tab);
  await frame.locator(selector).first().waitFor({ timeout: 20_000 });
  return frame;
}

/**
 * Puts the README's text editor in front. With a webview in front, a quick pick that closes
 * gives focus back to the webview a moment later, which closes the next quick input; a text
 * editor takes focus back at once.
 */
async function focusTextEditor(): Promise<void> {
  const page = await openWorkbench();
  await page.locator('.tabs-container .tab', { hasText: 'README.md' }).first().click();
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 10_000 });
}

/** Waits until a notification has finished fading in, so a screenshot shows it as users do. */
async function settled(toast: Locator): Promise<void> {
  await waitFor(() => toast.evaluate((el) => getComputedStyle(el).opacity === '1'), 'the notification to be fully shown', 5_000).catch(() => undefined);
}

async function evaluateFromPalette(runName: string): Promise<string> {
  await runCommand('Tunix: Evaluate Run...', { quickInput: 'Evaluate Run' });
  await pickIn('Evaluate Run', runName);
  await pickIn('Evaluate Run: judge', JUDGE);
  const toast = await waitForNotification(new RegExp(`${JUDGE.replace(/[.@]/g, '\\$&')}: [\\d.]+% on \\d+ items`));
  return (await toast.textContent()) ?? '';
}

describe('evaluation: evaluate, leaderboard, compare, regression gate (e2e)', function () {
  this.timeout(300_000);
  const settingsFile = () => workspacePath('.vscode', 'settings.json');
  let db: string;
  let trained: string;
  let carry: string;
  let noCarry: string;
  let board: Frame;
  let compare: Frame;

  before(async () => {
    await openWorkbench();
    await openFile('README.md');
    db = workspacePath('.tunix', 'eval-e2e.db');
    const cwd = path.dirname(db);
    fs.mkdirSync(cwd, { recursive: true });
    const traces = path.join(cwd, 'addition.jsonl');
    const generated = tunixCli(['generate', 'addition', '--count', '120', '--seed', '7', '--out', traces], cwd);
    assert.equal(generated.code, 0, generated.stderr);
    tunixJson(['import', traces, '--db', db, '--json'], cwd);
    const { dataset_key: key } = tunixJson(['dataset', 'build', '--db', db, '--name', 'addition', '--version', '1', '--split', 'train=0.6,val=0.1,test=0.3', '--json'], cwd);
    // A real, short training run of the built-in transformer (small, so it takes seconds).
    const run = tunixJson(
      ['train', '--db', db, '--dataset', key, '--steps', '20', '--backend', 'wasm', '--name', 'transformer 20 steps', '--json', ...['layers=1', 'd_model=32', 'heads=2', 'mlp=64', 'batch_size=16', 'max_new_tokens=48'].flatMap((s) => ['--set', s])],
      cwd,
    );
    assert.equal(run.status, 'completed', JSON.stringify(run.outcome));
    trained = run.run_id;
    carry = externalRun(db, key, 'column adder', true, cwd);
    noCarry = externalRun(db, key, 'column adder (no carry)', false, cwd);
    // This suite keeps its own database, so the other suites' traces do not mix in. The window
    // must have switched to it (the settings change) and seen the three finished runs before a
    // command lists them.
    const runs = await focusView('Runs');
    try {
      await writeWorkspaceSettings({ 'tunix.database.path': db }, async () => (await runs.locator('.monaco-list-row', { hasText: 'transformer 20 steps' }).count()) > 0);
      for (const name of ['transformer 20 steps', 'column adder', 'column adder (no carry)']) {
        await runs.locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: 90_000 });
      }
      await runs.locator('.monaco-list-row .codicon-pass').nth(2).waitFor({ timeout: 30_000 });
    } catch (err) {
      await screenshot('failed-eval-before-runs-view').catch(() => undefined);
      throw err;
    }
  });

  after(async () => {
    fs.rmSync(settingsFile(), { force: true });
    await runCommand('View: Close All Editors').catch(() => undefined);
  });

  it('evaluates a trained run and two external runs from the command palette', async () => {
    const text = await evaluateFromPalette('transformer 20 steps');
    assert.match(text, /on \d+ items \(transformer 20 steps\)/);
    const page = await openWorkbench();
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Evaluating' }).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await settled(page.locator('.notifications-toasts .notification-toast').filter({ hasText: /on \d+ items/ }).first());
    await screenshot('eval-evaluated-dark');
    await clearNotifications();
    assert.match(await evaluateFromPalette('column adder'), /: 100\.0% on \d+ items/);
    await clearNotifications();
    const partial = await evaluateFromPalette('column adder (no carry)');
    const pct = Number(/: ([\d.]+)% on/.exec(partial)![1]);
    assert.ok(pct > 0 && pct < 100, `the no-carry run is right on some items only (${pct}%)`);
    await clearNotifications();
  });

  it('ranks them on the leaderboard, with filters', async () => {
    const page = await openWorkbench();
    await runCommand('Tunix: Show Leaderboard');
    board = await getWebviewFrame('Tunix Leaderboard');
    const rows = board.locator('table.board tbody tr');
    await waitFor(async () => (await rows.count()) === 3, 'three ranked rows');
    assert.deepEqual(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td.run .mono')?.textContent)),
      [carry, noCarry, trained],
    );
    assert.equal((await rows.first().locator('.score-value').textContent())?.trim(), '1.000');
    await page.mouse.move(0, 0);
    await screenshot('eval-leaderboard-dark');
    await board.locator('input[type=search]').fill('no carry');
    await waitFor(async () => (await rows.count()) === 1, 'the search to leave one row');
    await board.locator('button.clear').click();
    await waitFor(async () => (await rows.count()) === 3, 'all rows back');
  });

  it('compares two runs item by item and links each item to its trace', async () => {
    const page = await openWorkbench();
    const row = (runId: string) => board.locator('table.board tbody tr').filter({ has: board.locator('td.run .mono', { hasText: runId }) });
    await row(noCarry).locator('input[type=checkbox]').check();
    await row(carry).locator('input[type=checkbox]').check();
    await board.locator('vscode-button', { hasText: 'Compare' }).click();
    compare = await getWebviewFrame('Compare');
    await compare.locator('.run-card').nth(1).waitFor({ timeout: 30_000 });
    // Ranked order: the carry run (best) is the reference; the no-carry run broke items.
    assert.match((await compare.locator('.run-card').first().textContent()) ?? '', new RegExp(carry));
    const pair = (await compare.locator('.run-card .pair').first().textContent()) ?? '';
    const broken = Number(/(\d+) broken/.exec(pair)![1]);
    assert.ok(broken > 0, `the no-carry run broke items (${pair})`);
    assert.match(pair, /(^|\s)0 fixed/);
    await page.mouse.move(0, 0);
    await screenshot('eval-compare-dark');
    // The training curves of both runs, overlaid on one uPlot canvas.
    const chart = compare.locator('.chart');
    await chart.locator('canvas').waitFor({ timeout: 20_000 });
    await chart.scrollIntoViewIfNeeded();
    assert.equal(await chart.locator('.u-legend .u-series').count(), 3, 'the step axis and one series per run');
    await screenshot('eval-compare-curves-dark');
    await compare.locator('button.seg.broken').click();
    const items = compare.locator('table.item-table tbody tr');
    await waitFor(async () => (await items.count()) === Math.min(broken, 100), `${broken} broken items listed`);
    assert.equal(await compare.locator('table.item-table tbody tr.outcome-broken').count(), await items.count());
    await compare.locator('table.item-table').scrollIntoViewIfNeeded();
    await screenshot('eval-compare-items-dark');
    // The item's id is its trace's id: the link opens the trace viewer.
    await items.first().locator('td.item-id button').click();
    const viewer = await getWebviewFrame('Trace ');
    await viewer.locator('[data-testid=prompt]').waitFor({ timeout: 20_000 });
    assert.match((await viewer.locator('[data-testid=prompt]').textContent()) ?? '', /What is \d+ \+ \d+\?/);
    await showPanel('Compare', '.run-card');
  });

  it('a regression check fails for a worse run and passes for the baseline run', async () => {
    await focusTextEditor();
    await runCommand('Tunix: Set Regression Baseline...', { quickInput: 'Set Regression Baseline' });
    await pickIn('Set Regression Baseline', 'column adder');
    await pickIn('which metric', 'primary_score');
    await answerInputBox('0.05');
    await waitForNotification(/Baseline set: primary_score \(answer_correctness@v2\) = 1 from/);
    await clearNotifications();
    await runCommand('Tunix: Check Against Baseline...', { quickInput: 'Check Against Baseline' });
    await pickIn('Check Against Baseline', 'column adder (no carry)');
    const failed = await waitForNotification(/REGRESSED: primary_score \(answer_correctness@v2\) of run/);
    assert.match((await failed.textContent()) ?? '', /< 0\.95/);
    await settled(failed);
    await screenshot('eval-baseline-regressed-dark');
    await clearNotifications();
    await runCommand('Tunix: Check Against Baseline...', { quickInput: 'Check Against Baseline' });
    await pickIn('Check Against Baseline', 'column adder');
    await waitForNotification(/PASS: primary_score \(answer_correctness@v2\) of run/);
    await clearNotifications();
    // The leaderboard shows the baseline and the failed check.
    const page = await openWorkbench();
    board = await showPanel('Tunix Leaderboard', 'table.board');
    await board.locator('.chip.regressed').first().waitFor({ timeout: 20_000 });
    await board.locator('.chip.baseline').first().waitFor({ timeout: 20_000 });
    await page.mouse.move(0, 0);
    await screenshot('eval-leaderboard-baseline-dark');
  });

  it("registers the trained run's model and the Models view lists it with its score", async () => {
    await focusTextEditor();
    // Only completed runs with model files are offered: the external column adders write none.
    await runCommand('Tunix: Register Model...', { quickInput: 'Register Model (1/2)' });
    const page = await openWorkbench();
    const rows = visibleQuickRows(page);
    await waitFor(async () => (await rows.count()) === 1, 'one registrable run offered');
    assert.match((await rows.first().textContent()) ?? '', /transformer 20 steps/);
    await pickQuickItem('transformer 20 steps');
    await waitForQuickInput('Register Model (2/2)');
    assert.equal(await page.locator('.quick-input-widget .quick-input-box input').inputValue(), 'addition', 'the dataset name is suggested');
    await answerInputBox('adder');
    await waitForNotification(/Registered adder v1 \(score 0\.\d{3}\)/);
    await clearNotifications();
    const pane = await focusView('Models');
    await pane.locator('.monaco-list-row', { hasText: 'adder' }).first().waitFor({ timeout: 15_000 });
    await pane.locator('.monaco-list-row', { hasText: /v1.*answer_correctness@v2/ }).first().waitFor({ timeout: 15_000 });
    await page.mouse.move(0, 0);
    await screenshot('models-view-dark');
  });

  it('reads well in the light theme (leaderboard, comparison and models)', async () => {
    const page = await openWorkbench();
    await setTheme('light');
    await focusView('Models');
    await page.mouse.move(0, 0);
    await screenshot('models-view-light');
    board = await showPanel('Tunix Leaderboard', 'table.board');
    await waitForLightBackground(board, 'the leaderboard');
    await page.mouse.move(0, 0);
    await screenshot('eval-leaderboard-light');
    compare = await showPanel('Compare', '.run-card');
    await page.mouse.move(0, 0);
    await screenshot('eval-compare-light');
    await focusTextEditor();
    await setTheme('dark');
  });

  it('the webviews ran without a Content-Security-Policy violation', () => {
    assert.deepEqual(cspViolations(), []);
  });
});
