// Trace diagnostics as a user sees them in a real VS Code: opening a trace file with errors
// fills the Problems panel (screenshots in the light and dark themes), and a quick fix chosen
// from the lightbulb menu applies and the problem count drops.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openFile, openWorkbench, repoRoot, screenshot, setTheme, waitFor } from '../harness';

/** Rows of the Problems panel (files and problems). */
const problemRows = (page: Page) => page.locator('.markers-panel .monaco-list-row');

/** The errors count of the status bar's problems item ("7 errors" in its label). */
async function errorCount(page: Page): Promise<number | undefined> {
  const label = (await page.locator('.part.statusbar [id="status.problems"] a, .part.statusbar [id="status.problems"]').first().getAttribute('aria-label').catch(() => null)) ?? '';
  const m = /(\d+)\s+errors?/i.exec(label) ?? /Errors?:\s*(\d+)/i.exec(label);
  if (m) return Number(m[1]);
  const text = (await page.locator('.part.statusbar [id="status.problems"]').first().textContent().catch(() => '')) ?? '';
  const n = /(\d+)/.exec(text);
  return n ? Number(n[1]) : undefined;
}

describe('diagnostics: the Problems panel (e2e)', function () {
  this.timeout(180_000);

  it('opening a trace file with errors fills the Problems panel at the exact spots', async () => {
    const page = await openWorkbench({ reload: true });
    await openFile('traces/invalid.trace.jsonl');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 20_000 });
    // Seven problems in the sample file (tunix-rt validate agrees), each with its code.
    await waitFor(async () => (await errorCount(page)) === 7, 'seven errors in the status bar', 60_000);
    const rows = await waitFor(async () => {
      const t = await problemRows(page).allTextContents();
      return t.filter((r) => /TRC\d{3}/.test(r)).length >= 7 ? t : undefined;
    }, 'seven problem rows with codes in the Problems panel');
    const text = rows.join('\n');
    for (const code of ['TRC001', 'TRC003', 'TRC004', 'TRC005', 'TRC007', 'TRC008', 'TRC009']) assert.ok(text.includes(code), `${code} listed`);
    assert.match(text, /Step index 0 is used twice/);
    // The CodeLens counts the records.
    await waitFor(async () => ((await page.locator('.editor-instance .codelens-decoration').first().textContent()) ?? '').includes('2 valid, 5 invalid'), 'the CodeLens "2 valid, 5 invalid"', 30_000);
    // The editor draws the squiggles.
    await page.locator('.editor-instance .squiggly-error').first().waitFor({ timeout: 15_000 });
    await setTheme('dark');
    await screenshot('diagnostics-problems-dark');
    await setTheme('light');
    await screenshot('diagnostics-problems-light');
    await setTheme('dark');
  });

  it('a problem\'s code links to its section of the bundled docs', async () => {
    const page = await openWorkbench();
    const link = problemRows(page).filter({ hasText: 'TRC007' }).locator('a, .monaco-link', { hasText: 'TRC007' });
    await link.first().click();
    await page.locator('.tabs-container .tab.active .label-name:text-is("diagnostics.md")').waitFor({ timeout: 20_000 });
    // Opened at the TRC007 heading.
    const lines = page.locator('.editor-instance .view-lines');
    // Monaco renders spaces as no-break spaces.
    await waitFor(async () => ((await lines.first().textContent()) ?? '').replace(/\u00a0/g, ' ').includes('## TRC007'), 'the TRC007 section in view');
    // The cursor sits on the heading's line.
    const headingLine = fs.readFileSync(path.join(repoRoot, 'docs', 'diagnostics.md'), 'utf8').split('\n').indexOf('## TRC007') + 1;
    await waitFor(async () => ((await page.locator('.part.statusbar').textContent()) ?? '').includes(`Ln ${headingLine}, Col 1`), `the cursor on line ${headingLine}`);
    await screenshot('diagnostics-docs-link');
    await page.keyboard.press('Control+W');
    await page.locator('.tabs-container .tab.active .label-name:text-is("invalid.trace.jsonl")').waitFor({ timeout: 15_000 });
  });

  it('a quick fix from the lightbulb menu applies, and the problem count drops', async () => {
    const page = await openWorkbench();
    const before = await waitFor(() => errorCount(page), 'the error count');
    // Go to the duplicate index through the Problems panel, as a user would.
    const row = problemRows(page).filter({ hasText: 'Step index 0 is used twice' });
    await row.first().click();
    await row.first().dblclick();
    await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 15_000 });
    const menu = page.locator('.action-widget');
    // Ctrl+. right after the jump can race the editor's code action request on a loaded
    // machine ("No code actions available"): ask again, as a user would.
    await waitFor(
      async () => {
        await page.keyboard.press('Control+.');
        if (await menu.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) return true;
        await page.keyboard.press('Escape');
        return false;
      },
      'the quick fix menu',
      30_000,
    );
    const item = menu.locator('.monaco-list-row').filter({ hasText: 'Renumber step indices 0..n-1' });
    await item.first().waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot('diagnostics-quick-fix-menu');
    // The menu takes keys (a pointer shield covers it while it opens): move to the item, Enter.
    const focusedLabel = async () => (await menu.locator('.monaco-list-row.focused').first().getAttribute('aria-label').catch(() => null)) ?? '';
    for (let k = 0; k < 10 && (await focusedLabel()) !== 'Renumber step indices 0..n-1'; k++) await page.keyboard.press('ArrowDown');
    assert.equal(await focusedLabel(), 'Renumber step indices 0..n-1');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await errorCount(page)) === before - 1, `the error count to drop from ${before} to ${before - 1}`, 30_000);
    // The CodeLens counts follow: line 4 is valid now.
    const lens = page.locator('.editor-instance .codelens-decoration');
    await waitFor(async () => ((await lens.first().textContent()) ?? '').includes('3 valid, 4 invalid'), 'the CodeLens to count 3 valid, 4 invalid', 30_000);
    const remaining = (await problemRows(page).allTextContents()).join('\n');
    assert.doesNotMatch(remaining, /used twice/);
    await screenshot('diagnostics-after-quick-fix');
  });
});
