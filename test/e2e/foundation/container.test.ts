// The Tunix RT activity-bar container as a user sees it in a real VS Code: its four views,
// their welcome content (whatever package.json contributes at the time), the environment
// check from the command palette, and the container in the light and dark themes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clearNotifications, openContainer, openWorkbench, repoRoot, runCommand, screenshot, setTheme, viewPane, waitFor, waitForNotification } from '../harness';

interface ViewContribution {
  id: string;
  name: string;
}
interface WelcomeContribution {
  view: string;
  contents: string;
  when?: string;
}

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const views: ViewContribution[] = pkg.contributes.views.tunix;
const welcome: WelcomeContribution[] = pkg.contributes.viewsWelcome ?? [];

/** Buttons of a viewsWelcome entry: lines that are only a `[label](command:...)` link. */
function buttonLabels(contents: string): string[] {
  return contents
    .split('\n')
    .map((l) => l.trim().match(/^\[([^\]]+)\]\([^)]+\)$/)?.[1])
    .filter((l): l is string => !!l);
}

/** The plain text of a viewsWelcome entry (links reduced to their labels, buttons dropped). */
function textLines(contents: string): string[] {
  return contents
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^\[([^\]]+)\]\([^)]+\)$/.test(l))
    .map((l) => l.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/[*_`]/g, ''));
}

describe('foundation: the Tunix RT container (e2e)', function () {
  this.timeout(180_000);

  before(async function () {
    await openWorkbench();
  });

  it('the activity bar opens the container with the Traces, Datasets, Runs and Models views', async () => {
    assert.deepEqual(
      views.map((v) => v.name),
      ['Traces', 'Datasets', 'Runs', 'Models'],
    );
    const page = await openWorkbench();
    await openContainer('Tunix RT');
    for (const view of views) {
      const header = viewPane(page, view.name).locator('.pane-header');
      await header.waitFor({ state: 'visible', timeout: 15_000 });
      assert.equal((await header.locator('h3.title').textContent())?.trim(), view.name);
    }
  });

  for (const view of views) {
    it(`the ${view.name} view shows its welcome content or its items`, async function () {
      const page = await openWorkbench();
      await openContainer('Tunix RT');
      const pane = viewPane(page, view.name);
      await pane.waitFor({ state: 'visible', timeout: 15_000 });
      const entries = welcome.filter((w) => w.view === view.id);
      const rows = pane.locator('.pane-body .monaco-list-row');
      const content = pane.locator('.pane-body .welcome-view-content');
      const shown = await waitFor(
        async () => {
          if ((await rows.count()) > 0) return 'items';
          if (((await content.textContent()) ?? '').trim()) return 'welcome';
          return entries.length ? undefined : 'nothing';
        },
        `the ${view.name} view to show items or welcome content`,
        20_000,
      );
      if (shown === 'nothing') {
        // Becomes a real check as soon as package.json contributes welcome content for it.
        this.skip();
      }
      if (shown === 'welcome') {
        const buttons = (await content.locator('.monaco-button').allTextContents()).map((t) => t.trim());
        const text = ((await content.textContent()) ?? '').replace(/\s+/g, ' ');
        // Entries without a `when` clause always show; the others may or may not.
        for (const entry of entries.filter((e) => !e.when)) {
          for (const label of buttonLabels(entry.contents)) assert.ok(buttons.includes(label), `the ${view.name} view lacks the "${label}" button (shows: ${buttons.join(', ')})`);
          for (const line of textLines(entry.contents)) assert.ok(text.includes(line.replace(/\s+/g, ' ')), `the ${view.name} view lacks the text "${line}"`);
        }
        const allowed = new Set(entries.flatMap((e) => buttonLabels(e.contents)));
        for (const b of buttons) assert.ok(allowed.has(b), `the ${view.name} view shows a button "${b}" that package.json does not contribute`);
        assert.ok(buttons.length > 0 || text.trim().length > 0);
      }
    });
  }

  it('"Tunix: Check Environment" from the command palette reports the training backend', async () => {
    await runCommand('Tunix: Check Environment');
    const toast = await waitForNotification('training will use');
    const text = (await toast.textContent()) ?? '';
    assert.match(text, /Tunix RT \S+ on Node v?\d+/);
    assert.match(text, /training will use "(gpu|webgpu|native|wasm|cpu)"/);
    assert.ok((await toast.locator('.monaco-button', { hasText: 'Show Details' }).count()) === 1, 'the notification offers "Show Details"');
    await screenshot('foundation-check-environment');
    await clearNotifications();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`the container reads well in the ${theme} theme (screenshot)`, async () => {
      await setTheme(theme);
      const sidebar = await openContainer('Tunix RT');
      // The side bar's colours come from the theme: a light theme has a light background.
      const background = await sidebar.evaluate((el) => getComputedStyle(el).backgroundColor);
      const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
      const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      if (theme === 'light') assert.ok(luminance > 0.7, `side bar background ${background} is not light`);
      else assert.ok(luminance < 0.3, `side bar background ${background} is not dark`);
      const file = await screenshot(`foundation-container-${theme}`);
      assert.ok(fs.statSync(file).size > 10_000, 'the screenshot has content');
    });
  }
});
