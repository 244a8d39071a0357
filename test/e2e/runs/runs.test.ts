// Training runs as a user sees them in a real VS Code: "Start Training Run..." from the
// command palette (dataset, recipe, hyperparameters), the metrics panel drawing the loss live
// while the built-in trainer trains, the Runs view and the status bar item, cancel and resume
// from the palette; screenshots in the dark and light themes
// (test-results/screenshots/runs-*.png), and no CSP violation from the metrics webview.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { answerInputBox, consoleMessages, filterAndPick, focusView, getWebviewFrame, openWorkbench, pickQuickItem, repoRoot, runCommand, screenshot, setTheme, waitFor, waitForQuickInput, workspacePath } from '../harness';

const DATASET = 'e2e-train-v1';
const RUN_NAME = `sft_transformer on ${DATASET}`;

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `tunix-rt ${args.join(' ')}: ${r.stderr}`);
}

/** Changes one hyperparameter in the settings step: pick its row, type the value. */
async function setSetting(label: string, value: string): Promise<void> {
  await waitForQuickInput('Start Training Run (3/3)');
  await filterAndPick(label);
  await answerInputBox(value);
}

async function pointsShown(frame: Frame): Promise<number> {
  const text = (await frame.locator('.toolbar').textContent().catch(() => '')) ?? '';
  const m = /([\d,]+) points/.exec(text);
  return m ? Number(m[1].replace(/,/g, '')) : 0;
}

function runsRow(page: Page) {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header[aria-label="Runs Section"]') }).locator('.monaco-list-row').filter({ hasText: RUN_NAME });
}

describe('runs: start a run, watch it live, cancel and resume (e2e)', function () {
  this.timeout(420_000);
  let metrics: Frame;

  before(async function () {
    this.timeout(120_000);
    await openWorkbench();
    const db = workspacePath('.tunix', 'tunix.db');
    const traces = workspacePath('.tunix', 'e2e-addition.jsonl');
    fs.mkdirSync(path.dirname(traces), { recursive: true });
    cli(['generate', 'addition', '--count', '200', '--seed', '21', '--out', traces]);
    cli(['import', traces, '--db', db]);
    cli(['dataset', 'build', '--db', db, '--name', 'e2e-train', '--version', 'v1', '--overwrite']);
  });

  after(async () => {
    await setTheme('dark').catch(() => undefined);
  });

  it('Start Training Run... asks for a dataset, a recipe and settings, then opens the live metrics panel', async () => {
    await openWorkbench();
    await focusView('Runs');
    await runCommand('Tunix: Start Training Run...', { quickInput: 'Start Training Run (1/3)' });
    await pickQuickItem(DATASET);
    await waitForQuickInput('Start Training Run (2/3)');
    await filterAndPick('sft_transformer');
    // A smaller model and a few hundred steps: a real run that takes a minute or two here.
    await setSetting('Steps', '300');
    await setSetting('Layers', '1');
    await setSetting('Width (d_model)', '32');
    await setSetting('Batch size', '8');
    await setSetting('Checkpoint every', '25');
    await waitForQuickInput('Start Training Run (3/3)');
    await filterAndPick('Start training');
    metrics = await getWebviewFrame('Training Metrics', 60_000);
    await metrics.locator('.chart[data-chart="loss"] canvas').first().waitFor({ state: 'attached', timeout: 120_000 });
  });

  it('the loss chart grows live while the run trains; the Runs view and the status bar follow it', async () => {
    const page = await openWorkbench();
    const before = await waitFor(async () => (await pointsShown(metrics)) || undefined, 'the first points in the chart', 120_000);
    const after = await waitFor(async () => {
      const n = await pointsShown(metrics);
      return n > before ? n : undefined;
    }, 'the chart to receive more points while the run trains', 120_000);
    assert.ok(after > before);
    await waitFor(async () => /step \d+\/300/.test((await runsRow(page).first().textContent()) ?? ''), 'the Runs view to show the run with its step', 30_000);
    const status = page.locator('.part.statusbar .statusbar-item').filter({ hasText: /step \d+\/300/ });
    await status.first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot('runs-live-dark');
    await setTheme('light');
    // The chart is redrawn with the light theme's colours.
    await metrics.locator('.chart[data-chart="loss"] canvas').first().waitFor({ state: 'attached', timeout: 30_000 });
    await waitFor(async () => (await pointsShown(metrics)) > after || undefined, 'a live update after the theme change', 120_000);
    await screenshot('runs-live-light');
    await setTheme('dark');
  });

  it('cancel from the palette ends the run; resume continues it from its checkpoint to the end', async () => {
    const page = await openWorkbench();
    await waitFor(() => {
      const dir = fs.readdirSync(workspacePath('.tunix', 'runs')).map((d) => workspacePath('.tunix', 'runs', d, 'checkpoints', 'latest.json'));
      return dir.some((f) => fs.existsSync(f)) || undefined;
    }, 'a first checkpoint', 180_000);
    await runCommand('Tunix: Cancel Run', { quickInput: 'Cancel Run' });
    await pickQuickItem(RUN_NAME);
    await waitFor(async () => /cancelled/.test((await runsRow(page).first().textContent()) ?? ''), 'the Runs view to show the run cancelled', 30_000);
    await runCommand('Tunix: Resume Run', { quickInput: 'Resume Run' });
    await pickQuickItem(RUN_NAME);
    await waitFor(async () => /completed · 300 steps/.test((await runsRow(page).first().textContent()) ?? ''), 'the resumed run to complete all 300 steps', 300_000);
    metrics = await getWebviewFrame('Training Metrics', 30_000);
    await waitFor(async () => /completed/.test((await metrics.locator('.runs').textContent()) ?? ''), 'the panel legend to say completed', 30_000);
    await screenshot('runs-completed-dark');
  });

  it('hover shows values; the panel keeps its settings when hidden and shown again', async () => {
    const page = await openWorkbench();
    metrics = await getWebviewFrame('Training Metrics', 30_000);
    const over = metrics.locator('.chart[data-chart="loss"] .u-over');
    const box = await over.boundingBox();
    assert.ok(box, 'the loss chart has a plot area');
    await over.hover({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
    await waitFor(async () => {
      const values = await metrics.locator('.chart[data-chart="loss"] .u-legend .u-value').allTextContents();
      return values.some((v) => /\d/.test(v)) || undefined;
    }, 'hover values in the loss chart legend', 15_000);
    // Change the smoothing, hide the panel behind another editor, show it again.
    await metrics.locator('.smoothing input[type="range"]').evaluate((el: HTMLInputElement) => {
      el.value = '0.9';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await waitFor(async () => ((await metrics.locator('.smoothing .value').textContent()) ?? '').trim() === '0.90' || undefined, 'the smoothing to read 0.90');
    await runCommand('Tunix: Open Run Log', { quickInput: 'Open Run Log' });
    await pickQuickItem(RUN_NAME);
    await page.locator('.tabs-container .tab.active .label-name', { hasText: 'output.log' }).waitFor({ timeout: 15_000 });
    await page.locator('.tabs-container .tab', { hasText: 'Metrics:' }).first().click();
    metrics = await getWebviewFrame('Training Metrics', 30_000);
    await waitFor(async () => ((await metrics.locator('.smoothing .value').textContent().catch(() => '')) ?? '').trim() === '0.90' || undefined, 'the smoothing kept after hide and show', 30_000);
    await metrics.locator('.chart[data-chart="loss"] canvas').first().waitFor({ state: 'attached', timeout: 30_000 });
  });

  it('the metrics webview ran under its Content-Security-Policy without violations', () => {
    const violations = consoleMessages().filter((m) => /Content Security Policy|Refused to (load|apply|execute)/i.test(m.text) && /metrics|webview/i.test(m.url));
    assert.deepEqual(violations.map((m) => m.text), []);
  });
});
