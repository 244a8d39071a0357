// The Traces feature as a user sees it in a real VS Code: importing sample files from the
// command palette, the tree grouped by source and category with counts, the trace viewer,
// scoring from its button, and a side-by-side comparison; screenshots in the dark and light
// themes (test-results/screenshots/traces-*.png), and no CSP violation from the webviews.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baselineScore } from '../../../src/core/trace/score';
import type { TraceRecord } from '../../../src/core/trace/types';
import type { Frame, Locator } from 'playwright-core';
import {
  answerDialog,
  clearNotifications,
  cspViolations,
  filterAndPick,
  focusView,
  getWebviewFrame,
  openWorkbench,
  pickQuickItem,
  runCommand,
  screenshot,
  setTheme,
  waitFor,
  waitForLightBackground,
  waitForNotification,
  visibleQuickRows,
  waitForQuickInput,
  workspacePath,
} from '../harness';

async function importSample(file: string, expected: RegExp): Promise<Locator> {
  // The command's own quick pick (not the palette it replaces) must be up before picking.
  await runCommand('Tunix: Import Traces...', { quickInput: 'Import Traces' });
  await pickQuickItem(file);
  return waitForNotification(expected);
}

/** The sample records of a workspace trace file (the ones that parse). */
function sampleRecords(file: string): TraceRecord[] {
  return fs
    .readFileSync(workspacePath('traces', file), 'utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as TraceRecord];
      } catch {
        return [];
      }
    });
}

function treeRow(pane: Locator, label: string | RegExp): Locator {
  return pane.locator('.monaco-list-row').filter({ hasText: label });
}

async function expand(pane: Locator, label: string): Promise<void> {
  const row = treeRow(pane, label).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await waitFor(async () => (await row.getAttribute('aria-expanded')) === 'true', `the "${label}" group to expand`, 10_000);
}

describe('traces: tree, viewer and comparison (e2e)', function () {
  this.timeout(240_000);
  let viewer: Frame;

  before(async () => {
    await openWorkbench();
  });

  it('imports sample trace files from the command palette, with a summary', async () => {
    // Toasts pile up (and older ones hide newer ones): each summary is dismissed once seen.
    await importSample('reasoning.trace.jsonl', /Imported 5 traces from reasoning\.trace\.jsonl/);
    await clearNotifications();
    await importSample('arith.trace.jsonl', /Imported \d+ traces? from arith\.trace\.jsonl/);
    await clearNotifications();
    const toast = await importSample('invalid.trace.jsonl', /from invalid\.trace\.jsonl \(\d+ duplicates? skipped, [1-9]\d* invalid lines?\)/);
    const invalid = Number(/(\d+) invalid lines?/.exec((await toast.textContent()) ?? '')?.[1]);
    // "Show Invalid Lines" lists each bad line with its reason and jumps to the one picked.
    await toast.locator('.monaco-button', { hasText: 'Show Invalid Lines' }).click();
    const page = await openWorkbench();
    await waitForQuickInput(`${invalid} invalid line`, 15_000);
    const rows = visibleQuickRows(page);
    await waitFor(async () => (await rows.count()) === invalid, `${invalid} invalid lines in the quick pick`);
    const first = rows.first();
    assert.match((await first.textContent()) ?? '', /invalid\.trace\.jsonl:2.*Missing required field "prompt"/);
    await screenshot('traces-invalid-lines-dark');
    await first.click();
    await page.locator('.tabs-container .tab.active', { hasText: 'invalid.trace.jsonl' }).waitFor({ timeout: 15_000 });
    await waitFor(async () => /Ln 2,/.test((await page.locator('.part.statusbar').textContent()) ?? ''), 'the cursor on line 2');
  });

  it('shows the traces grouped by source, then category, with counts', async () => {
    const pane = await focusView('Traces');
    await expand(pane, 'dev-reasoning-v2');
    await expand(pane, 'synthetic');
    await expand(pane, 'math');
    await treeRow(pane, "Reverse the string: 'reason'").first().waitFor({ state: 'visible', timeout: 15_000 });
    const expected = sampleRecords('reasoning.trace.jsonl').filter((r) => r.meta?.dataset === 'dev-reasoning-v2').length;
    const source = (await treeRow(pane, 'dev-reasoning-v2').first().textContent()) ?? '';
    assert.match(source, new RegExp(`dev-reasoning-v2\\s*${expected}$`), 'the source row shows its count');
    const file = await screenshot('traces-tree-dark');
    assert.ok(file.endsWith('.png'));
  });

  it('searches from the view title; the view says which filter is active', async () => {
    const page = await openWorkbench();
    const traces = await focusView('Traces');
    await expand(traces, 'dev-reasoning-v2');
    await expand(traces, 'math');
    // Found by its title: with a description showing, the header's aria-label is no longer "Traces Section".
    const pane = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: /^Traces$/ }) });
    const header = pane.locator('.pane-header');
    try {
      await header.hover();
      await header.locator('.action-label[aria-label="Search Traces..."]').click();
      await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.type('prime');
      await page.keyboard.press('Enter');
      await waitFor(async () => ((await header.textContent()) ?? '').includes('"prime"'), 'the view description to show the search');
      // The view's message counts the matches; only the matching trace's groups are listed.
      await waitFor(async () => /\b1 of \d+ traces match the filter/.test((await pane.locator('.pane-body').textContent()) ?? ''), 'the view message "1 of N traces match"');
      await treeRow(pane, 'Is 91 a prime number?').first().waitFor({ state: 'visible', timeout: 15_000 });
      // The tree redraws its groups one level at a time: wait until the rows of the unfiltered
      // tree are gone rather than reading them mid-redraw.
      const rows = async () => (await pane.locator('.monaco-list-row').allTextContents()).map((t) => t.trim());
      await waitFor(async () => (await rows()).length === 3, 'a source, a category and the trace', 15_000).catch(async () => {
        assert.fail(`a source, a category and the trace (shown: ${(await rows()).join(' | ')})`);
      });
      await screenshot('traces-tree-search-dark');
      await header.hover();
      await header.locator('.action-label[aria-label="Clear Trace Filter"]').click();
      // Every source is back (the arithmetic samples have none with "prime").
      await treeRow(pane, 'samples/workspace').first().waitFor({ state: 'visible', timeout: 15_000 });
    } finally {
      // Leave no filter behind for the next tests, whatever happened.
      if (((await header.textContent().catch(() => '')) ?? '').includes('"prime"')) await runCommand('Tunix: Clear Trace Filter');
    }
  });

  it('opens a trace in the viewer: prompt, numbered steps, final answer, meta', async () => {
    const page = await openWorkbench();
    const pane = await focusView('Traces');
    // A click on a row the tree is redrawing (after the filter was cleared) is lost: click again
    // if no viewer opens.
    for (let attempt = 1; ; attempt++) {
      await treeRow(pane, 'Is 91 a prime number?').first().click();
      try {
        viewer = await getWebviewFrame('Trace ', 15_000);
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    await viewer.locator('[data-testid=prompt]').waitFor({ timeout: 20_000 });
    assert.equal((await viewer.locator('[data-testid=prompt]').textContent())?.trim(), 'Is 91 a prime number?');
    assert.equal(await viewer.locator('.steps > li').count(), 4);
    assert.equal((await viewer.locator('[data-testid=final-answer]').textContent())?.trim(), 'no');
    assert.match((await viewer.locator('table.kv').first().textContent()) ?? '', /task_type\s*primality/);
    await page.mouse.move(0, 0);
    await screenshot('traces-viewer-dark');
  });

  it('scores the trace from the viewer (the tunix-rt baseline, with its details)', async () => {
    await viewer.locator('vscode-button', { hasText: 'Score' }).first().click();
    const value = viewer.locator('.score-value');
    await value.waitFor({ timeout: 20_000 });
    const record = sampleRecords('reasoning.trace.jsonl').find((r) => r.prompt === 'Is 91 a prime number?')!;
    const expected = baselineScore(record);
    assert.equal(((await value.textContent()) ?? '').replace(/\s*\/\s*100$/, '').trim(), String(expected.score));
    assert.match((await viewer.locator('.score-details').textContent()) ?? '', new RegExp(`step score\\s*${expected.details.step_score}`));
  });

  it('compares two traces side by side with the differences highlighted', async () => {
    const page = await openWorkbench();
    // The input box is reused by the next quick pick: typing before it is up would be lost. On a
    // busy machine the focus coming back to the viewer left open by the previous test can close
    // the second question as it opens (the command then ends): start the command again.
    for (let attempt = 1; ; attempt++) {
      await runCommand('Tunix: Compare Traces...', { quickInput: 'Compare Traces (1/2)' });
      await filterAndPick('reason', "Reverse the string: 'reason'");
      try {
        await waitForQuickInput('Compare Traces (2/2)', 15_000);
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    await filterAndPick('ecart', "Reverse the string: 'trace'");
    const frame = await getWebviewFrame('Compare');
    await frame.locator('[data-testid=summary]').waitFor({ timeout: 20_000 });
    assert.match((await frame.locator('[data-testid=summary]').textContent()) ?? '', /prompt differs/);
    assert.ok((await frame.locator('del.diff').count()) > 0, 'removed words are marked');
    assert.ok((await frame.locator('ins.diff').count()) > 0, 'added words are marked');
    // Prompt, step 1, step 2 and answer of the right side, in page order.
    assert.deepEqual(await frame.locator('ins.diff').allTextContents(), ['trace', 'trace', 'ecart', 'ecart']);
    await page.mouse.move(0, 0);
    await screenshot('traces-compare-dark');
  });

  it('reads well in the light theme (screenshots of the comparison, the viewer and the tree)', async () => {
    const page = await openWorkbench();
    await setTheme('light');
    const frame = await getWebviewFrame('Compare');
    // The webview follows the theme: its body background is light now.
    await waitForLightBackground(frame, 'the comparison');
    await screenshot('traces-compare-light');
    await page.locator('.tabs-container .tab', { hasText: 'Trace:' }).first().click();
    await getWebviewFrame('Trace:');
    await page.mouse.move(0, 0);
    await screenshot('traces-viewer-light');
    await focusView('Traces');
    await screenshot('traces-tree-light');
    await setTheme('dark');
  });

  it('shows invisible characters in trace text as markers, and a long meta key does not push its value away', async () => {
    const page = await openWorkbench();
    const file = workspacePath('traces', 'disguised.trace.jsonl');
    const longKey = 'a_meta_key_that_someone_made_far_too_long_to_fit_in_any_side_panel_at_all';
    const record = {
      id: 'disguised-name-1',
      trace_version: '1.0',
      prompt: 'Which attachment is safe to open: evil\u202Eexe.txt?',
      final_answer: 'none\u200B',
      steps: [{ i: 0, type: 'check', content: 'The name holds a right-to-left override (U+202E).' }],
      meta: { [longKey]: 'still visible', task_type: 'phishing' },
    };
    fs.writeFileSync(file, JSON.stringify(record) + '\n');
    try {
      await importSample('disguised.trace.jsonl', /Imported 1 trace from disguised\.trace\.jsonl/);
      await clearNotifications();
      await runCommand('Tunix: Open Trace by Id...', { quickInput: 'Open Trace by Id' });
      await page.keyboard.type('disguised-name-1');
      await page.keyboard.press('Enter');
      const frame = await getWebviewFrame('Which attachment', 20_000);
      const prompt = frame.locator('[data-testid=prompt]');
      await prompt.waitFor({ timeout: 20_000 });
      // The override is shown as a marker, not applied: the name reads in its real order.
      assert.equal((await prompt.textContent())?.trim(), 'Which attachment is safe to open: evilU+202Eexe.txt?');
      assert.equal(await frame.locator('[data-testid=invisible-char]').count(), 2, 'the override in the prompt and the zero-width space in the answer');
      // The long key is cut; its value stays in view beside it.
      // (Measured inside the webview's own page: its width, not the window's.)
      const place = await frame.locator('table.kv td', { hasText: 'still visible' }).evaluate((td) => ({ left: td.getBoundingClientRect().left, width: document.documentElement.clientWidth }));
      assert.ok(place.left + 40 < place.width, `the value is in view (left ${place.left} of ${place.width})`);
      await page.mouse.move(0, 0);
      await screenshot('traces-viewer-invisible-chars-dark');
      await runCommand('View: Close Editor');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('a damaged database gets a modal that keeps the old file and starts a fresh one', async () => {
    const page = await openWorkbench();
    await focusView('Traces');
    const broken = workspacePath('.tunix', 'broken.db');
    fs.mkdirSync(path.dirname(broken), { recursive: true });
    fs.writeFileSync(broken, 'this is not an SQLite database, just some text that was saved under the wrong name\n'.repeat(50));
    const settings = workspacePath('.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'tunix.database.path': '.tunix/broken.db' }, null, 2));
    try {
      // The Traces view is showing: it reads the new database as soon as the setting applies.
      const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'cannot be opened' });
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match((await dialog.textContent()) ?? '', /left untouched/);
      await screenshot('traces-damaged-database');
      await answerDialog('Start Fresh Database (keep the old file renamed)');
      const aside = await waitFor(() => fs.readdirSync(path.dirname(broken)).find((f) => f.startsWith('broken.db.corrupt-')), 'the damaged file to be renamed aside');
      assert.match(fs.readFileSync(path.join(path.dirname(broken), aside), 'utf8'), /^this is not an SQLite database/, 'the old file is kept as it was');
      await waitFor(() => fs.existsSync(broken) && fs.readFileSync(broken).subarray(0, 15).toString() === 'SQLite format 3', 'a fresh database at the same path');
      await waitForNotification(/damaged database was kept as/);
      await clearNotifications();
    } finally {
      fs.rmSync(settings);
    }
  });

  it('the webviews ran without a Content-Security-Policy violation', () => {
    assert.deepEqual(cspViolations(), []);
  });
});
