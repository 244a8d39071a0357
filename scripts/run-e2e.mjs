// Runs test/e2e: mocha in Node drives a real VS Code (code-server) in headless Chromium through
// test/e2e/harness.ts, which starts one code-server + browser for the whole run. Mocha's spec
// report goes to stdout; exit 0 when all passed, 1 on failures, 2 when it could not run.
//   node scripts/run-e2e.mjs [--grep <pattern>] [--timeout <seconds>]
// Screenshots land in test-results/screenshots/ (cleared at the start of a full run).
// Build first (`npm run build`); `npm test` does.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureTestDeps, killGroupNow, repoRoot } from './code-server.mjs';

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const grep = option('grep');
const timeoutMs = Number(option('timeout') ?? 600) * 1000;
const started = Date.now();
const note = (msg) => console.error(`[e2e] ${msg} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.js') ? [join(dir, e.name)] : []))
    .sort();
}

if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) {
  console.error('[e2e] dist/extension.js is missing: build first (npm run build).');
  process.exit(2);
}
const files = testFiles(join(repoRoot, 'out', 'test', 'e2e'));
if (!files.length) {
  console.error('[e2e] no out/test/e2e/**/*.test.js: build first (npm run build).');
  process.exit(2);
}
try {
  ensureTestDeps();
} catch (err) {
  console.error(`[e2e] could not install what the tests need: ${err.message}`);
  process.exit(2);
}
if (!grep) rmSync(join(repoRoot, 'test-results', 'screenshots'), { recursive: true, force: true });

const args = [
  join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'),
  '--reporter', 'spec',
  '--no-colors',
  '--timeout', '120000',
  '--enable-source-maps',
  '--exit',
  ...(grep ? ['--grep', grep] : []),
  ...files.map((f) => relative(repoRoot, f)),
];
// Its own process group, so a hang ends with everything it started (code-server and Chromium
// are cleaned up by the harness on SIGTERM; SIGKILL of the group is the last resort).
const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
const forward = (signal) => () => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* gone */
  }
};
process.on('SIGINT', forward('SIGINT')).on('SIGTERM', forward('SIGTERM'));
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  console.error(`[e2e] the e2e tests did not finish within ${timeoutMs / 1000} s; stopping them`);
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  setTimeout(() => killGroupNow(child.pid), 5000).unref();
}, timeoutMs);
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  const shots = join(repoRoot, 'test-results', 'screenshots');
  if (existsSync(shots)) note(`screenshots: ${relative(repoRoot, shots)}/ (${readdirSync(shots).length} files)`);
  const result = timedOut ? 2 : code === 0 ? 0 : code !== null && code > 0 ? 1 : 2;
  note(result === 0 ? 'passed' : result === 1 ? 'failed' : `could not finish (${signal ?? code})`);
  process.exit(result);
});
