// Runs test/integration (mocha inside a real VS Code extension host) and relays mocha's spec
// report to stdout; exits 0 when every test passed, 1 otherwise, 2 when it could not run.
//   node scripts/run-integration.mjs [--grep <pattern>] [--timeout <seconds>]
// Where a desktop VS Code is available (TUNIX_VSCODE_EXECUTABLE, or a build that
// @vscode/test-electron cached under .vscode-test/), it runs there; otherwise (always, on an
// offline machine) in code-server's extension host, started from the Chromium workbench with
// the `extensionDevelopmentPath` / `extensionTestsPath` payload. The tests' runner
// (test/integration/index.ts) writes its report to a results file this script polls for.
// Build first (`npm run build`); `npm test` does.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  copySampleWorkspace,
  ensureTestDeps,
  killGroupNow,
  launchBrowser,
  repoRoot,
  startCodeServer,
  tempDir,
  waitFor,
  writeUserSettings,
} from './code-server.mjs';

const RESULTS_ENV = 'TUNIX_INTEGRATION_RESULTS';
const GREP_ENV = 'TUNIX_INTEGRATION_GREP';

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const grep = option('grep');
const timeoutMs = Number(option('timeout') ?? 300) * 1000;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
/** Progress goes to stderr: stdout carries only mocha's report (npm test counts its lines). */
const note = (msg) => console.error(`[integration] ${msg} (${elapsed()})`);

const testsEntry = join(repoRoot, 'out', 'test', 'integration', 'index.js');
for (const f of [join(repoRoot, 'dist', 'extension.js'), testsEntry]) {
  if (!existsSync(f)) {
    console.error(`[integration] ${f} is missing: build first (npm run build).`);
    process.exit(2);
  }
}

/** A desktop VS Code we may use: named by the environment or cached by @vscode/test-electron. */
function desktopVsCode() {
  const fromEnv = process.env.TUNIX_VSCODE_EXECUTABLE;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    console.error(`[integration] TUNIX_VSCODE_EXECUTABLE=${fromEnv} does not exist; using code-server`);
    return undefined;
  }
  const cache = join(repoRoot, '.vscode-test');
  if (!existsSync(cache)) return undefined;
  for (const name of readdirSync(cache).filter((n) => n.startsWith('vscode-')).sort().reverse()) {
    const exe = process.platform === 'linux' ? join(cache, name, 'code') : undefined;
    if (exe && existsSync(exe)) return exe;
  }
  return undefined;
}

function report(results) {
  process.stdout.write(results.output.endsWith('\n') ? results.output : `${results.output}\n`);
  if (results.error) console.error(`[integration] the test runner failed: ${results.error}`);
  return results.failed || results.error ? 1 : 0;
}

async function runInDesktop(executable, resultsFile, workspace) {
  note(`running in desktop VS Code at ${executable}`);
  const { runTests } = await import('@vscode/test-electron');
  const userDataDir = tempDir('tunix-it-user-');
  writeUserSettings(userDataDir);
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsEntry,
    extensionTestsEnv: { [RESULTS_ENV]: resultsFile, ...(grep ? { [GREP_ENV]: grep } : {}) },
    launchArgs: [workspace, '--disable-extensions', '--user-data-dir', userDataDir, '--no-sandbox', '--disable-gpu'],
  }).catch(() => undefined); // the results file says what failed
  if (!existsSync(resultsFile)) throw new Error('VS Code exited without writing the test results');
  return report(JSON.parse(readFileSync(resultsFile, 'utf8')));
}

async function runInCodeServer(resultsFile, workspace, scratch) {
  ensureTestDeps();
  const server = await startCodeServer({
    folder: workspace,
    userDataDir: join(scratch, 'user'),
    extensionsDir: join(scratch, 'extensions'),
    logFile: join(scratch, 'code-server.log'),
    env: { [RESULTS_ENV]: resultsFile, ...(grep ? { [GREP_ENV]: grep } : {}) },
  });
  const cleanupOnSignal = () => {
    killGroupNow(server.pid);
    process.exit(130);
  };
  process.on('SIGINT', cleanupOnSignal).on('SIGTERM', cleanupOnSignal);
  process.on('exit', () => killGroupNow(server.pid));
  note(`code-server ${server.origin} is up`);
  const consoleTail = [];
  let browser;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage();
    let fatal;
    page.on('console', (m) => {
      const text = m.text();
      consoleTail.push(`${m.type()}: ${text}`);
      if (consoleTail.length > 80) consoleTail.shift();
      if (/No extension host found that can launch the test runner/.test(text)) fatal = text;
    });
    page.on('crash', () => (fatal = 'the browser page crashed'));
    const payload = [
      ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
      ['extensionTestsPath', server.remoteUri(testsEntry)],
    ];
    await page.goto(server.url({ payload }));
    note('workbench opened; the tests run in its extension host');
    await waitFor(() => existsSync(resultsFile), {
      timeoutMs,
      intervalMs: 200,
      message: `the integration tests to finish (no results file ${resultsFile}); a test or the extension host hangs`,
      stopOn: () => fatal ?? (server.exited() && `code-server exited (${server.exited().code ?? server.exited().signal})`),
    });
    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    const code = report(results);
    if (code !== 0) console.error(`[integration] code-server log (last lines):\n${server.logTail(40)}`);
    return code;
  } catch (err) {
    console.error(`[integration] ${err.message}`);
    console.error(`[integration] code-server log (last lines):\n${server.logTail(60)}`);
    if (consoleTail.length) console.error(`[integration] browser console (last lines):\n${consoleTail.slice(-30).join('\n')}`);
    return 2;
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
}

const scratch = tempDir('tunix-it-');
const resultsFile = join(scratch, 'results.json');
let code = 2;
try {
  const workspace = copySampleWorkspace(join(scratch, 'workspace'));
  const desktop = desktopVsCode();
  code = desktop ? await runInDesktop(desktop, resultsFile, workspace) : await runInCodeServer(resultsFile, workspace, scratch);
} catch (err) {
  console.error(`[integration] could not run: ${err.message}`);
  code = 2;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
note(code === 0 ? 'passed' : code === 1 ? 'failed' : 'could not run');
process.exit(code);
