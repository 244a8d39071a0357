// The test runner VS Code loads in its extension host (`extensionTestsPath`): runs mocha over
// every out/test/integration/**/*.test.js with the spec reporter, in the real extension host
// and its `vscode` API. The report cannot reach the launcher through the browser, so it is
// written to a results file (RESULTS_ENV, set on code-server's environment by
// scripts/run-integration.mjs and inherited by the extension host) that the launcher polls.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import * as vscode from 'vscode';
import { ACTIVATION_SNAPSHOT, EXTENSION_ID, type ActivationSnapshot } from './helpers';

export const RESULTS_ENV = 'TUNIX_INTEGRATION_RESULTS';
export const GREP_ENV = 'TUNIX_INTEGRATION_GREP';

export interface IntegrationResults {
  passed: number;
  failed: number;
  pending: number;
  /** The spec reporter's text (and anything the tests printed with console.log). */
  output: string;
  /** Set when the runner itself failed before or outside mocha. */
  error?: string;
}

function findRepoRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${from}`);
    dir = up;
  }
  return dir;
}

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(p));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

function writeResults(file: string, results: IntegrationResults): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole then renamed, so the launcher never reads half a file.
  fs.writeFileSync(`${file}.partial`, JSON.stringify(results, null, 2));
  fs.renameSync(`${file}.partial`, file);
}

/**
 * Activates the extension before any test runs and records what activation loaded, so the
 * lazy-loading test sees activation itself and not whatever later tests loaded.
 */
async function snapshotActivation(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded in this extension host`);
  const wasActive = ext.isActive;
  const api = await ext.activate();
  const snapshot: ActivationSnapshot = { wasActiveBeforeTests: wasActive, heavyModulesAtActivation: api.loadedHeavyModules() };
  (globalThis as Record<symbol, unknown>)[ACTIVATION_SNAPSHOT] = snapshot;
}

export async function run(): Promise<void> {
  const root = findRepoRoot(__dirname);
  const resultsFile = process.env[RESULTS_ENV] || path.join(root, 'out', 'integration-results.json');
  const captured: string[] = [];
  // The repository's own mocha, by absolute path (the extension host resolves modules from
  // VS Code's install otherwise).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require(path.join(root, 'node_modules', 'mocha')) as typeof import('mocha');
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void; useColors: boolean };
  const originalReporterLog = base.consoleLog;
  // VS Code's extension host defines console.log as an accessor that forwards to the
  // workbench; redefine it (and restore the original descriptor afterwards).
  const originalConsoleLog = Object.getOwnPropertyDescriptor(console, 'log');
  const forward = console.log.bind(console);
  const capture = (...args: unknown[]) => {
    captured.push(format(...args));
    forward(...args);
  };
  base.useColors = false;
  base.consoleLog = capture;
  Object.defineProperty(console, 'log', { value: capture, configurable: true, writable: true });
  try {
    await snapshotActivation();
    const grep = process.env[GREP_ENV];
    const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, ...(grep ? { grep } : {}) });
    for (const f of testFiles(path.join(root, 'out', 'test', 'integration'))) mocha.addFile(f);
    const stats = await new Promise<Mocha.Stats>((resolve) => {
      const runner = mocha.run(() => resolve(runner.stats ?? ({ passes: 0, failures: 1, pending: 0 } as Mocha.Stats)));
    });
    writeResults(resultsFile, { passed: stats.passes, failed: stats.failures, pending: stats.pending, output: captured.join('\n') });
    if (stats.failures) throw new Error(`${stats.failures} integration test(s) failed`);
  } catch (err) {
    if (!fs.existsSync(resultsFile)) {
      const error = (err as Error).stack ?? String(err);
      writeResults(resultsFile, { passed: 0, failed: 1, pending: 0, output: captured.join('\n'), error });
    }
    throw err;
  } finally {
    base.consoleLog = originalReporterLog;
    if (originalConsoleLog) Object.defineProperty(console, 'log', originalConsoleLog);
  }
}
