// Drives a real VS Code (code-server 4.99.4 = VS Code 1.99.3) in headless Chromium for the e2e
// tests. One session per mocha process, started on first use and shared by every test file:
// the extension is packaged with vsce and installed from the .vsix (what users install), a
// temporary copy of samples/workspace is opened, and everything stops after the last test.
//
//   import { openWorkbench, runCommand, waitForNotification, screenshot } from '../harness';
//   before(async () => { await openWorkbench(); });
//   it('...', async () => {
//     await runCommand('Tunix: Check Environment');
//     await waitForNotification('training will use');
//     await screenshot('doctor');            // test-results/screenshots/doctor.png
//   });
//
// Every wait polls a condition with a deadline and fails saying what did not happen; never
// add fixed sleeps. A failing test leaves test-results/screenshots/failed-<test>.png.
// Environment: TUNIX_E2E_VSIX=<file> uses that .vsix instead of packaging dist/;
// TUNIX_E2E_KEEP=1 keeps the scratch folder (workspace, user data, code-server.log).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import type * as CodeServerModule from '../../scripts/code-server.mjs';

type CodeServerApi = typeof CodeServerModule;

export const repoRoot = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = up;
  }
  return dir;
})();

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

/** The settings ids of the themes setTheme() picks (VS Code's defaults for new users). */
export const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' } as const;
/** How the color theme picker labels them. */
const THEME_LABELS = { light: 'Light Modern', dark: 'Dark Modern' } as const;
export type ThemeKind = keyof typeof THEMES;

export interface ConsoleEntry {
  type: string;
  text: string;
  /** The frame's URL: webview messages (CSP violations, script errors) come from webview frames. */
  url: string;
}

export interface Session {
  page: Page;
  browser: Browser;
  server: CodeServerModule.CodeServer;
  /** The opened workspace folder (a temporary copy of samples/workspace; tests may write into it). */
  workspace: string;
  /** User-data dir of code-server; User/settings.json lives there. */
  userDataDir: string;
  /** Everything the page and its frames printed to the console, oldest first. */
  console: ConsoleEntry[];
  scratch: string;
}

// Each test file is its own bundle with its own copy of this module, so the one session of
// the process lives on globalThis.
interface Shared {
  starting?: Promise<Session>;
  session?: Session;
  hooksRegistered?: boolean;
}
const shared: Shared = ((globalThis as Record<symbol, unknown>)[Symbol.for('tunix-rt.e2e.harness')] ??= {}) as Shared;

let codeServerApi: Promise<CodeServerApi> | undefined;
function cs(): Promise<CodeServerApi> {
  // Loaded at run time (an ES module shared with the runners), not bundled.
  codeServerApi ??= import(pathToFileURL(path.join(repoRoot, 'scripts', 'code-server.mjs')).href) as Promise<CodeServerApi>;
  return codeServerApi;
}

/** Polls `condition` until it returns something truthy; fails with `message` after the deadline. */
export async function waitFor<T>(condition: () => T | Promise<T>, message: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const api = await cs();
  return api.waitFor(condition, { timeoutMs, message, intervalMs: 100 });
}

async function start(): Promise<Session> {
  const api = await cs();
  api.ensureTestDeps();
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: build first (npm run build)');
  const scratch = api.tempDir('tunix-e2e-');
  const extensionsDir = path.join(scratch, 'extensions');
  const userDataDir = path.join(scratch, 'user');
  let server: CodeServerModule.CodeServer;
  let workspace: string;
  try {
    const vsix = process.env.TUNIX_E2E_VSIX || api.packageVsix(path.join(scratch, 'tunix-rt.vsix'));
    api.installVsix(vsix, extensionsDir, path.join(scratch, 'install-user'));
    api.writeUserSettings(userDataDir, { 'workbench.colorTheme': THEMES.dark });
    workspace = api.copySampleWorkspace(path.join(scratch, 'workspace'));
    server = await api.startCodeServer({ folder: workspace, userDataDir, extensionsDir, logFile: path.join(scratch, 'code-server.log') });
  } catch (err) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
  // Whatever happens to this process, code-server (a process group of its own) goes with it.
  process.on('exit', () => api.killGroupNow(server.pid));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      api.killGroupNow(server.pid);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  let browser: Browser | undefined;
  try {
    browser = await api.launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const consoleEntries: ConsoleEntry[] = [];
    page.on('console', (m) => {
      consoleEntries.push({ type: m.type(), text: m.text(), url: m.location().url });
      if (consoleEntries.length > 2000) consoleEntries.shift();
    });
    const session: Session = { page, browser, server, workspace, userDataDir, console: consoleEntries, scratch };
    await page.goto(server.url());
    await waitForWorkbench(page);
    return session;
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    const tail = server.logTail(40);
    if (!process.env.TUNIX_E2E_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\ncode-server log (last lines):\n${tail}`);
  }
}

async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 90_000 });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 30_000 });
  // The activity bar lists contributed containers once the extensions are scanned.
  await page.locator('.part.activitybar .action-label[aria-label^="Tunix RT"]').waitFor({ state: 'attached', timeout: 60_000 });
}

/** The running session, started on first use (code-server + Chromium + the workbench page). */
export async function session(): Promise<Session> {
  registerHooks();
  if (shared.session) return shared.session;
  shared.starting ??= start();
  try {
    shared.session = await shared.starting;
  } catch (err) {
    shared.starting = undefined;
    throw err;
  }
  return shared.session;
}

/**
 * A second VS Code window for a test that needs other user settings (workspace trust on, say)
 * or another folder: its own code-server over the same installed extension, a page in the same
 * browser. `close()` stops both; the shared session is not touched.
 */
export async function openExtraWindow(options: { folder: string; settings: Record<string, unknown>; workspaceTrust?: boolean }): Promise<{ page: Page; close(): Promise<void> }> {
  const s = await session();
  const api = await cs();
  const userDataDir = api.tempDir('tunix-e2e-extra-user-');
  api.writeUserSettings(userDataDir, { 'workbench.colorTheme': THEMES.dark, ...options.settings });
  const server = await api.startCodeServer({ folder: options.folder, userDataDir, extensionsDir: path.join(s.scratch, 'extensions'), logFile: path.join(userDataDir, 'code-server.log'), workspaceTrust: options.workspaceTrust });
  const page = await s.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const close = async () => {
    await page.close().catch(() => undefined);
    await server.stop();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    await page.goto(server.url());
    await waitForWorkbench(page);
  } catch (err) {
    const tail = server.logTail(40);
    await close();
    throw new Error(`${(err as Error).message}\ncode-server log (last lines):\n${tail}`);
  }
  return { page, close };
}

/**
 * The workbench page, ready. `reload: true` reloads the window first (a clean UI state:
 * no notifications, no quick input; editors restore as VS Code restores them).
 */
export async function openWorkbench(options: { reload?: boolean } = {}): Promise<Page> {
  const s = await session();
  if (options.reload) {
    await s.page.reload();
    await waitForWorkbench(s.page);
  }
  return s.page;
}

/** Stops the browser and code-server and removes the scratch folder (also runs after the last test). */
export async function shutdown(): Promise<void> {
  const s = shared.session;
  shared.session = undefined;
  shared.starting = undefined;
  if (!s) return;
  await s.browser.close().catch(() => undefined);
  await s.server.stop();
  if (process.env.TUNIX_E2E_KEEP) console.log(`      (kept ${s.scratch})`);
  else fs.rmSync(s.scratch, { recursive: true, force: true });
}

/** Once per process: a screenshot of every failing test, and shutdown after the last test. */
function registerHooks(): void {
  if (shared.hooksRegistered || typeof after !== 'function') return;
  shared.hooksRegistered = true;
  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state === 'failed' && shared.session) {
      const file = await screenshot(`failed-${test.fullTitle()}`).catch(() => undefined);
      if (file) console.log(`      screenshot of the failure: ${path.relative(repoRoot, file)}`);
    }
  });
  after(async function () {
    this.timeout(30_000);
    await shutdown();
  });
}
// Registered while mocha loads the test files, so they hang on the root suite.
if (typeof after === 'function') registerHooks();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';

async function closeQuickInput(page: Page): Promise<void> {
  if (await page.locator(QUICK_INPUT).isVisible()) {
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
  }
}

/**
 * The row of the open quick input whose label is exactly `label`. Only rendered rows count:
 * the list keeps hidden rows of earlier quick picks in its DOM, and `.first()` of those would
 * never become visible.
 */
function quickRow(page: Page, label: string): Locator {
  return visibleQuickRows(page).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
}

/**
 * Runs a command through the command palette (Ctrl+Shift+P) by its full title as the palette
 * shows it, e.g. 'Tunix: Check Environment'. Returns once the command was chosen; wait for
 * its effect (a notification, a view, a panel) separately.
 *
 * `quickInput`: the title of the command's own first question. The workbench may hand the focus
 * back to a webview or editor a moment after the palette closes, which closes that question
 * as it opens (the command then sees a cancel and ends); the command is run again then, a few
 * times at most, until its question stays up.
 */
export async function runCommand(title: string, options: { quickInput?: string } = {}): Promise<void> {
  if (!options.quickInput) return choosePaletteCommand(title);
  for (let attempt = 1; ; attempt++) {
    await choosePaletteCommand(title);
    try {
      await waitForQuickInput(options.quickInput, 15_000);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

async function choosePaletteCommand(title: string): Promise<void> {
  const page = await openWorkbench();
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.isVisible()) {
    throw new Error(`Cannot run "${title}": a modal dialog is open ("${(await dialog.textContent())?.trim()}"); answer it first (answerDialog)`);
  }
  const input = page.locator(QUICK_INPUT_BOX);
  // Focus can come back late to a webview or an editor that a previous quick pick left (the
  // workbench restores it after the pick closes), which closes the palette just opened. Open it
  // again when that happens, a few times at most.
  for (let attempt = 1; ; attempt++) {
    await closeQuickInput(page);
    await page.keyboard.press('Control+Shift+P');
    try {
      // On a busy machine the shortcut can be lost (a webview taking the focus): press it again.
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      if (await input.isVisible()) break;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
    if (attempt >= 3) throw new Error(`The command palette kept closing while typing "${title}"`);
  }
  const row = quickRow(page, title);
  try {
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
  } catch {
    const shown = await visibleQuickRows(page).locator('.label-name').allTextContents();
    throw new Error(`The command palette has no command titled "${title}" (it shows: ${shown.join(' | ') || 'nothing'})`);
  }
  await row.first().click();
}

/** The rendered rows of the open quick input (hidden rows of earlier quick picks excluded). */
export function visibleQuickRows(page: Page): Locator {
  return page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`).filter({ visible: true });
}

/**
 * In the quick pick that is open now: types `filter` into its box, then clicks the first
 * rendered row whose text contains `label` (default: the filter itself).
 */
export async function filterAndPick(filter: string, label: string = filter): Promise<void> {
  const page = await openWorkbench();
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(filter);
  const row = visibleQuickRows(page).filter({ hasText: label });
  await row.first().waitFor({ state: 'visible', timeout: 15_000 });
  await row.first().click();
}

/** Picks the item labelled `label` in the quick pick that is open now (a command's question). */
export async function pickQuickItem(label: string): Promise<void> {
  const page = await openWorkbench();
  const row = quickRow(page, label);
  await row.first().waitFor({ state: 'visible', timeout: 15_000 });
  await row.first().click();
}

/**
 * Waits until the quick input whose title contains `title` is up: a command's own quick pick or
 * input box (e.g. "Build Dataset (3/6)"), not the palette it replaces. Typing or picking before
 * it is up would land in the previous one.
 */
export async function waitForQuickInput(title: string, timeoutMs = 20_000): Promise<void> {
  const page = await openWorkbench();
  await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: title }).waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Writes the workspace's `.vscode/settings.json` and waits until `applied` says the window
 * took it. On a busy machine the file watcher can miss a change (seen: a suite waited 90 s for
 * a database switch that never came), so the file is written again every 15 s until then.
 */
export async function writeWorkspaceSettings(settings: Record<string, unknown>, applied: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const file = workspacePath('.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n'.repeat(attempt));
    try {
      await waitFor(applied, `the window to apply ${JSON.stringify(settings)}`, Math.min(15_000, Math.max(1_000, deadline - Date.now())));
      return;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
  }
}

/** Types `text` into the input box that is open now and accepts it with Enter. */
export async function answerInputBox(text: string): Promise<void> {
  const page = await openWorkbench();
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await input.press('Enter');
}

/** Opens a workspace file (path relative to the workspace) in an editor, through Quick Open. */
export async function openFile(relativePath: string): Promise<void> {
  const page = await openWorkbench();
  await closeQuickInput(page);
  await page.keyboard.press('Control+P');
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(relativePath);
  const name = path.basename(relativePath);
  // Click the row whose label and folder match, rather than pressing Enter on whatever row is
  // focused: under load Quick Open's list can still show recently opened files for a moment.
  const dir = path.dirname(relativePath);
  let row = quickRow(page, name);
  if (dir !== '.') row = row.filter({ hasText: dir.split(path.sep).join('/') });
  await row.first().waitFor({ state: 'visible', timeout: 15_000 });
  await row.first().click();
  await page.locator(`.tabs-container .tab.active .label-name:text-is("${name}")`).waitFor({ timeout: 15_000 });
  await focusActiveEditor(page);
}

/**
 * Makes sure the keyboard focus is in the active text editor. Commands such as "Markdown: Open
 * Preview" only show in the palette while an editor of their language has focus, and the
 * workbench may hand focus back to a view or a webview a moment after Quick Open closes.
 */
async function focusActiveEditor(page: Page): Promise<void> {
  const editor = page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  const focused = async () => /\bfocused\b/.test((await editor.getAttribute('class')) ?? '');
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await waitFor(focused, 'the editor to take the focus', 3_000);
      return;
    } catch {
      await editor.locator('.view-lines').click({ position: { x: 1, y: 1 } }).catch(() => undefined);
    }
  }
  await waitFor(focused, 'the editor to take the focus', 5_000);
}

/** Opens a view container of the activity bar (default: Tunix RT); returns the side bar. */
export async function openContainer(title = 'Tunix RT'): Promise<Locator> {
  const page = await openWorkbench();
  const item = page.locator('.part.activitybar .action-item').filter({ has: page.locator(`.action-label[aria-label^="${title}"]`) });
  await item.first().waitFor({ state: 'visible', timeout: 15_000 });
  // Clicking the active container would close the side bar.
  const sidebarTitle = page.locator('.part.sidebar .composite.title h2');
  const showing = (await page.locator('.part.sidebar').isVisible()) && (await sidebarTitle.textContent().catch(() => ''))?.trim() === title;
  if (!showing) await item.first().click();
  await waitFor(async () => (await sidebarTitle.textContent())?.trim() === title, `the side bar to show the "${title}" container`, 15_000);
  return page.locator('.part.sidebar');
}

/** The pane of a view in the side bar, found by its name (the header reads "<name> Section"). */
export function viewPane(page: Page, name: string): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator(`.pane-header[aria-label="${name} Section"]`) });
}

/** Focuses (and so shows and expands) a view, e.g. focusView('Traces'); returns its pane. */
export async function focusView(name: string, container = 'Tunix RT'): Promise<Locator> {
  const page = await openWorkbench();
  await runCommand(`${container}: Focus on ${name} View`);
  const pane = viewPane(page, name);
  await pane.waitFor({ state: 'visible', timeout: 15_000 });
  await waitFor(async () => (await pane.locator('.pane-header').getAttribute('aria-expanded')) === 'true', `the ${name} view to expand`, 10_000);
  return pane;
}

/** Waits for a notification toast whose text contains `text` (or matches it); returns it. */
export async function waitForNotification(text: string | RegExp, timeoutMs = 60_000): Promise<Locator> {
  const page = await openWorkbench();
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  const started = Date.now();
  try {
    await toast.first().waitFor({ state: 'visible', timeout: Math.min(timeoutMs, 15_000) });
    return toast.first();
  } catch {
    // A toast without buttons hides itself after a few seconds; on a loaded machine it can come
    // and go between two polls. The notification center keeps it (and, while open, receives
    // new notifications instead of toasts): wait there for the rest of the time.
    const shown = await page.locator('.notifications-toasts .notification-toast').allTextContents();
    await runCommand('Notifications: Show Notifications');
    const kept = page.locator('.notifications-center .notification-list-item').filter({ hasText: text });
    try {
      await kept.first().waitFor({ state: 'visible', timeout: Math.max(5_000, timeoutMs - (Date.now() - started)) });
      return kept.first();
    } catch {
      const listed = await page.locator('.notifications-center .notification-list-item').allTextContents();
      throw new Error(
        `No notification with ${String(text)} appeared within ${Math.round((Date.now() - started) / 1000)} s (toasts: ${shown.join(' | ') || 'none'}; notification center: ${listed.join(' | ') || 'empty'})`,
      );
    }
  }
}

/** Dismisses every notification (the command waiting on one then resolves). */
export async function clearNotifications(): Promise<void> {
  await runCommand('Notifications: Clear All Notifications');
  const page = await openWorkbench();
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 });
}

/** Waits for a modal dialog whose text contains `text` (or matches it); returns it. */
export async function waitForDialog(text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const page = await openWorkbench();
  const dialog = page.locator('.monaco-dialog-box').filter({ hasText: text });
  try {
    await dialog.first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    const shown = await page.locator('.monaco-dialog-box').allTextContents();
    throw new Error(`No dialog with ${String(text)} appeared within ${timeoutMs / 1000} s (showing: ${shown.join(' | ') || 'none'})`);
  }
  return dialog.first();
}

/** Presses the button labelled `label` of the modal dialog that is open now; waits for it to close. */
export async function answerDialog(label: string): Promise<void> {
  const page = await openWorkbench();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.first().waitFor({ state: 'visible', timeout: 15_000 });
  const button = dialog.locator('.monaco-button', { hasText: new RegExp(`^${escapeRegExp(label)}$`) });
  if (!(await button.count())) {
    const labels = await dialog.locator('.monaco-button').allTextContents();
    throw new Error(`The dialog has no "${label}" button (it has: ${labels.join(', ')})`);
  }
  await button.first().click();
  await dialog.first().waitFor({ state: 'detached', timeout: 15_000 });
}

/**
 * Switches the color theme (Default Light/Dark Modern) the way a user does, through
 * "Preferences: Color Theme" (code-server does not pick up edits of the settings file made
 * behind its back), and waits until the workbench shows it.
 */
export async function setTheme(kind: ThemeKind): Promise<void> {
  const s = await session();
  await runCommand('Preferences: Color Theme');
  await pickQuickItem(THEME_LABELS[kind]);
  const cls = kind === 'light' ? 'vs' : 'vs-dark';
  await waitFor(
    () => s.page.evaluate((c) => document.querySelector('.monaco-workbench')?.classList.contains(c) ?? false, cls),
    `the workbench to switch to the ${kind} theme (${THEMES[kind]})`,
    20_000,
  );
  // Two frames, so the new colours are painted before a screenshot.
  await s.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/**
 * The content frame of a webview (panel or view) whose title contains `titleSubstring`: the
 * <title> of the webview's HTML, or else the label of the active editor tab. Webview content
 * sits two iframes deep (the host frame, then the content frame).
 */
export async function getWebviewFrame(titleSubstring: string, timeoutMs = 30_000): Promise<Frame> {
  const page = await openWorkbench();
  const contentFrames = () =>
    page.frames().filter((f) => !f.isDetached() && /\/webview\/browser\/pre\/fake\.html/.test(f.url()) && /\/webview\/browser\/pre\/index\.html/.test(f.parentFrame()?.url() ?? ''));
  return waitFor(
    async () => {
      const frames = contentFrames();
      for (const f of frames) {
        if ((await f.title().catch(() => '')).includes(titleSubstring)) return f;
      }
      const activeTab = (await page.locator('.tabs-container .tab.active .label-name').first().textContent().catch(() => null)) ?? '';
      if (activeTab.includes(titleSubstring)) {
        for (const f of frames) {
          const host = await f.parentFrame()?.frameElement().catch(() => undefined);
          if (host && (await host.isVisible())) return f;
        }
      }
      return undefined;
    },
    `a webview titled "${titleSubstring}"`,
    timeoutMs,
  );
}

/** Saves a PNG of the whole window (or of `target`) to test-results/screenshots/<name>.png. */
export async function screenshot(name: string, target?: Locator): Promise<string> {
  const page = await openWorkbench();
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '')}.png`);
  // A transient "Activating Extensions..." in the status bar is noise in a picture: give it a
  // moment to go, but take the picture anyway if it stays.
  await page
    .locator('.part.statusbar .statusbar-item', { hasText: 'Activating Extensions' })
    .waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => undefined);
  if (target) await target.screenshot({ path: file });
  else await page.screenshot({ path: file });
  return file;
}

/** A path inside the opened workspace (a temporary copy of samples/workspace). */
export function workspacePath(...parts: string[]): string {
  if (!shared.session) throw new Error('no e2e session yet: call openWorkbench() first');
  return path.join(shared.session.workspace, ...parts);
}

/** Console messages of the page and its frames so far (for example CSP violations in webviews). */
export function consoleMessages(): ConsoleEntry[] {
  return shared.session ? [...shared.session.console] : [];
}

/** Content-Security-Policy violations reported in the console so far ("url: message"); a webview must cause none. */
export function cspViolations(): string[] {
  return consoleMessages()
    .filter((m) => /Content Security Policy|Refused to (load|apply|execute)/i.test(m.text))
    .map((m) => `${m.url}: ${m.text}`);
}

/** Waits until the webview in `frame` follows a light theme (its body background is light); `what` names it in the timeout message. */
export async function waitForLightBackground(frame: Frame, what: string): Promise<void> {
  await waitFor(
    async () => {
      const bg = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 > 0.7;
    },
    `${what} to switch to a light background`,
    15_000,
  );
}
