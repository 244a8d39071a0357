// The Datasets feature as a user sees it in a real VS Code: Generate Sample Traces from the
// view's welcome content and import them, Build Dataset through its multi-step input, the
// Datasets view with versions, counts and splits, the stats panel (counts per split and per
// category, step-count and length histograms) in the dark and light themes, and delete with
// its confirmation. Screenshots: test-results/screenshots/datasets-*.png.
import * as assert from 'node:assert/strict';
import type { Frame, Locator } from 'playwright-core';
import {
  answerDialog,
  clearNotifications,
  answerInputBox,
  cspViolations,
  focusView,
  getWebviewFrame,
  openWorkbench,
  pickQuickItem,
  runCommand,
  screenshot,
  setTheme,
  waitFor,
  waitForDialog,
  waitForLightBackground,
  waitForNotification,
  visibleQuickRows,
  waitForQuickInput,
} from '../harness';

const COUNT = 400;

function treeRow(pane: Locator, label: string | RegExp): Locator {
  return pane.locator('.monaco-list-row').filter({ hasText: label });
}

describe('datasets: generate, build, view and stats (e2e)', function () {
  this.timeout(300_000);
  let stats: Frame;

  before(async () => {
    await openWorkbench();
  });

  it('generates sample traces from the Datasets view and imports them', async () => {
    await openWorkbench();
    const pane = await focusView('Datasets');
    const welcome = pane.locator('.pane-body .welcome-view-content');
    if ((await pane.locator('.pane-body .monaco-list-row').count()) === 0) {
      // No dataset yet: the welcome content offers to build one, or to generate traces first.
      await waitFor(async () => ((await welcome.textContent()) ?? '').includes('No datasets yet.'), 'the welcome content');
      await screenshot('datasets-welcome-dark');
      await welcome.locator('a', { hasText: 'Generate Sample Traces...' }).click();
    } else {
      await runCommand('Tunix: Generate Sample Traces...');
    }
    await waitForQuickInput('Generate Sample Traces (1/3)');
    await pickQuickItem('mixed');
    await waitForQuickInput('Generate Sample Traces (2/3)');
    await answerInputBox(String(COUNT));
    await waitForQuickInput('Generate Sample Traces (3/3)');
    await answerInputBox('2');
    const wrote = await waitForNotification(new RegExp(`Wrote ${COUNT} mixed traces to tunix-samples/mixed-${COUNT}-seed2(-\\d+)?\\.trace\\.jsonl`));
    await wrote.locator('.monaco-button', { hasText: 'Import into the Database' }).click();
    await waitForNotification(new RegExp(`Imported ${COUNT} traces`));
    await clearNotifications();
  });

  it('builds a dataset through the multi-step input (name, version, filters, selection, seed, splits)', async () => {
    const page = await openWorkbench();
    await runCommand('Tunix: Build Dataset...', { quickInput: 'Build Dataset (1/6)' });
    await answerInputBox('e2e');
    await waitForQuickInput('Build Dataset (2/6)');
    assert.match(await page.locator('.quick-input-widget .quick-input-box input').inputValue(), /^v\d+$/);
    await answerInputBox('v1');
    // Filters: the meta values present, with their counts; picking none keeps every trace.
    await waitForQuickInput('Build Dataset (3/6)');
    await visibleQuickRows(page).filter({ hasText: 'task_type = addition' }).first().waitFor({ timeout: 15_000 });
    await screenshot('datasets-build-filters-dark');
    await page.keyboard.press('Enter');
    await waitForQuickInput('Build Dataset (4/6)');
    await pickQuickItem('All matching traces');
    await waitForQuickInput('Build Dataset (5/6)');
    await answerInputBox('7');
    await waitForQuickInput('Build Dataset (6/6)');
    assert.equal(await page.locator('.quick-input-widget .quick-input-box input').inputValue(), 'train=0.8,val=0.1,test=0.1');
    await answerInputBox('train=0.8,val=0.1,test=0.1');
    await waitForNotification(/Built dataset e2e-v1: \d[\d,]* traces \(train \d+, val \d+, test \d+\)/);
    await clearNotifications();
  });

  it('lists the dataset with its version, trace count and splits', async () => {
    const page = await openWorkbench();
    const pane = await focusView('Datasets');
    const row = treeRow(pane, 'e2e').first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match((await row.textContent()) ?? '', /e2ev1 · [\d,]+ traces/);
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
    for (const split of ['train', 'val', 'test']) await treeRow(pane, new RegExp(`^${split}[\\d,]+ · [\\d.]+ %$`)).first().waitFor({ timeout: 15_000 });
    await page.mouse.move(0, 0);
    await screenshot('datasets-tree-dark');
  });

  it('shows the stats: counts per split and per category, step-count and length histograms', async () => {
    const page = await openWorkbench();
    await runCommand('Tunix: Show Dataset Stats', { quickInput: 'Show Dataset Stats' });
    await pickQuickItem('e2e-v1');
    stats = await getWebviewFrame('Dataset e2e-v1');
    await stats.locator('[data-testid=splits]').waitFor({ timeout: 30_000 });
    const traces = Number(((await stats.locator('[data-testid=card-traces] .card-value').textContent()) ?? '').replace(/\D/g, ''));
    assert.ok(traces >= COUNT, `the Traces card says ${traces}`);
    const splitRows = stats.locator('[data-testid=splits] tbody tr');
    assert.equal(await splitRows.count(), 3);
    const splitCounts = (await splitRows.locator('td:nth-child(2)').allTextContents()).map((t) => Number(t.replace(/\D/g, '')));
    assert.equal(splitCounts.reduce((a, b) => a + b, 0), traces);
    const categories = (await stats.locator('[data-testid=categories] tbody th').allTextContents()).map((t) => t.trim());
    for (const c of ['arithmetic', 'string', 'comparison', 'conversion', 'game']) assert.ok(categories.includes(c), `category ${c} in ${categories.join(', ')}`);
    const bars = stats.locator('[data-testid=histogram] svg .bar rect:not(.hover-target)');
    assert.ok((await bars.count()) > 0, 'the step-count histogram has bars');
    await page.mouse.move(0, 0);
    await screenshot('datasets-stats-dark');
    await stats.locator('[data-testid=histogram]').scrollIntoViewIfNeeded();
    await screenshot('datasets-stats-steps-dark');
    await stats.locator('vscode-button', { hasText: 'Length' }).click();
    await stats.locator('[data-testid=histogram][data-unit=characters]').waitFor({ timeout: 10_000 });
    await stats.locator('[data-testid=histogram]').scrollIntoViewIfNeeded();
    await screenshot('datasets-stats-length-dark');
    await stats.locator('vscode-button', { hasText: 'Steps' }).click();
    assert.deepEqual(cspViolations(), [], 'the stats page broke no CSP rule');
  });

  it('reads well in the light theme (screenshots of the stats and the view)', async () => {
    const page = await openWorkbench();
    await setTheme('light');
    const frame = await getWebviewFrame('Dataset e2e-v1');
    await waitForLightBackground(frame, 'the stats page');
    // The split colours come from the theme's chart palette, not fixed colours.
    const swatch = await frame.locator('[data-testid=splits] .swatch').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.ok(/rgb/.test(swatch) && swatch !== 'rgba(0, 0, 0, 0)', `the train swatch has a colour (${swatch})`);
    await page.mouse.move(0, 0);
    await screenshot('datasets-stats-light');
    await focusView('Datasets');
    await screenshot('datasets-tree-light');
    await setTheme('dark');
  });

  it('deletes the dataset after a confirmation; its traces stay', async () => {
    const page = await openWorkbench();
    await runCommand('View: Close All Editors');
    await runCommand('Tunix: Delete Dataset', { quickInput: 'Delete Dataset' });
    await pickQuickItem('e2e-v1');
    await waitForDialog('Delete dataset e2e-v1?');
    await answerDialog('Delete');
    const pane = await focusView('Datasets');
    await waitFor(async () => (await treeRow(pane, 'e2e').count()) === 0, 'the dataset to leave the view');
    const traces = await focusView('Traces');
    await treeRow(traces, 'generated').first().waitFor({ timeout: 15_000 });
    await page.mouse.move(0, 0);
  });
});
