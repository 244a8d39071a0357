// The e2e harness's own helpers against this VS Code build, so other tests can rely on them:
// Quick Open, focusing a view, reaching a webview's content (VS Code's built-in Markdown
// preview is a webview), modal dialogs, and reloading the window.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { answerDialog, focusView, getWebviewFrame, openFile, openWorkbench, runCommand, viewPane, waitFor, waitForDialog, workspacePath } from '../harness';

describe('foundation: the e2e harness', function () {
  this.timeout(120_000);

  it('opens a workspace file through Quick Open', async () => {
    const page = await openWorkbench();
    assert.ok(fs.existsSync(workspacePath('traces', 'arith.trace.jsonl')), 'the sample workspace was copied');
    await openFile('traces/arith.trace.jsonl');
    // The editor shows the file's first trace (Monaco renders spaces as no-break spaces).
    const text = async () => ((await page.locator('.editor-instance .view-lines').first().textContent()) ?? '').replace(/\u00a0/g, ' ');
    await waitFor(async () => (await text()).includes('What is 27 + 48?'), 'the trace file in the editor');
  });

  it('focuses a view of the Tunix RT container by name', async () => {
    const page = await openWorkbench();
    const pane = await focusView('Runs');
    assert.ok(await pane.isVisible());
    assert.equal(await viewPane(page, 'Runs').locator('.pane-header').getAttribute('aria-expanded'), 'true');
  });

  it('reaches the content of a webview (the Markdown preview of README.md)', async () => {
    await openFile('README.md');
    await runCommand('Markdown: Open Preview');
    const frame = await getWebviewFrame('Preview README.md');
    const heading = frame.locator('h1');
    await heading.waitFor({ timeout: 30_000 });
    assert.equal((await heading.textContent())?.trim(), 'Tunix RT sample workspace');
  });

  it('reads and answers a modal dialog (Help: About)', async () => {
    await runCommand('Help: About');
    const dialog = await waitForDialog('code-server');
    assert.match((await dialog.textContent()) ?? '', /1\.99\.3/, 'the About dialog names the VS Code version');
    await assert.rejects(runCommand('Tunix: Show Log'), /a modal dialog is open/);
    await answerDialog('OK');
  });

  it('reloads the window to a clean state', async () => {
    const page = await openWorkbench({ reload: true });
    assert.ok(await page.locator('.part.activitybar .action-label[aria-label^="Tunix RT"]').count());
    await runCommand('View: Close All Editors');
    await waitFor(async () => (await page.locator('.tabs-container .tab').count()) === 0, 'all editors to close');
  });
});
