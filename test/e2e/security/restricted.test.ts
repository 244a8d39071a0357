// The shipped-database attack as a user would meet it: a folder carrying .tunix/tunix.db with
// a queued run of a gone process whose stored folder is outside the workspace, opened in a real
// VS Code with workspace trust on (Restricted Mode). Opening the Tunix RT side bar must start
// nothing and write nothing; the Runs view says why the run waits. Trusting the folder then
// starts it, in <.tunix/runs>/<id>, never in the stored folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { plantRuns, queuedOrphan, shippedDatabase } from '../../fixtures/shippedDatabase';
import { openExtraWindow, screenshot, waitFor } from '../harness';

/** A folder as a stranger could send it: traces, a dataset and a database with a planted queued run. */
async function hostileWorkspace(outside: string): Promise<{ folder: string; db: string }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tunix-hostile-ws-'));
  const db = path.join(folder, '.tunix', 'tunix.db');
  const template = await shippedDatabase(db);
  await plantRuns(db, [queuedOrphan(template, 'run-planted-1', outside, { name: 'planted run', owner: { pid: 999_999_999, startToken: 'gone' } })]);
  return { folder, db };
}

function runsRow(page: Page, text: string | RegExp) {
  const pane = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header[aria-label="Runs Section"]') });
  return pane.locator('.monaco-list-row').filter({ hasText: text });
}

describe('security: a database shipped in an untrusted folder (e2e, Restricted Mode)', function () {
  this.timeout(300_000);
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'tunix-outside-e2e-'));
  let ws: { folder: string; db: string };
  let win: Awaited<ReturnType<typeof openExtraWindow>> | undefined;

  before(async function () {
    this.timeout(300_000);
    ws = await hostileWorkspace(outside);
    win = await openExtraWindow({ folder: ws.folder, workspaceTrust: true, settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } });
  });

  after(async () => {
    await win?.close();
    fs.rmSync(ws.folder, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('opening the side bar starts nothing; the Runs view says the run waits for trust', async () => {
    const page = win!.page;
    await page.locator('.part.activitybar .action-label[aria-label^="Tunix RT"]').click();
    const row = runsRow(page, 'planted run');
    await row.first().waitFor({ state: 'visible', timeout: 60_000 });
    await waitFor(async () => /waits for workspace trust/.test((await row.first().textContent()) ?? ''), 'the Runs view to say the run waits for trust', 30_000).catch(async (err) => {
      await screenshot('failed-security-restricted-window', page.locator('.monaco-workbench'));
      throw new Error(`${(err as Error).message}; the row reads "${await row.first().textContent()}"`);
    });
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing written to the folder the database named');
    assert.ok(!fs.existsSync(path.join(ws.folder, '.tunix', 'runs', 'run-planted-1')), 'no run folder: nothing started');
    await page.mouse.move(0, 0);
    await screenshot('security-restricted-mode-runs-dark', page.locator('.monaco-workbench'));
  });

  it('trusting the folder starts the run in its own folder under .tunix/runs, never in the stored one', async () => {
    const page = win!.page;
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('>Workspaces: Manage Workspace Trust');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Manage Workspace Trust' }).first().click();
    await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust( Folder)?$/ }).first().click({ timeout: 20_000 });
    const runDir = path.join(ws.folder, '.tunix', 'runs', 'run-planted-1');
    await waitFor(() => fs.existsSync(path.join(runDir, 'exit.json')), 'the run to start and end in .tunix/runs/run-planted-1', 180_000);
    await runsRow(page, /planted run.*completed/).first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.deepEqual(fs.readdirSync(outside), [], 'still nothing in the stored folder');
  });
});
