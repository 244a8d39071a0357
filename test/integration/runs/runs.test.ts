// Training runs in a real extension host: the Runs view, the status bar item, the metrics
// panel updating live from a real run of the built-in trainer (dist/trainer.js), cancel and
// resume through the commands, an external trainer, the log, and re-attaching to a run that
// outlived its engine (what a window reload does).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../../src/core/run/types';
import { RUNS_FEATURE_HOOK, type RunsFeatureParts } from '../../../src/extension/runs/feature';
import { activate, waitFor, workspaceDir } from '../helpers';

const repoRoot = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function parts(): RunsFeatureParts {
  const p = (globalThis as Record<symbol, unknown>)[RUNS_FEATURE_HOOK] as RunsFeatureParts | undefined;
  assert.ok(p, 'the runs feature published its parts');
  return p;
}

/** A small model, so a real run takes seconds on a busy two-core machine. */
const SMALL = ['d_model=16', 'heads=2', 'mlp=32', 'layers=1', 'batch_size=4', 'context_length=128', 'max_new_tokens=4'];

describe('runs: view, status bar, live metrics, cancel/resume, external trainers (integration)', function () {
  this.timeout(240_000);
  let dir: string;
  let db: string;

  before(async () => {
    const api = await activate();
    dir = fs.mkdtempSync(path.join(workspaceDir(), '.tunix-runs-it-'));
    db = path.join(dir, 'tunix.db');
    const traces = path.join(dir, 'add.jsonl');
    for (const args of [
      ['generate', 'addition', '--count', '120', '--seed', '11', '--out', traces],
      ['import', traces, '--db', db],
      ['dataset', 'build', '--db', db, '--name', 'runs-it', '--version', 'v1'],
    ]) {
      const r = cli(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    await vscode.workspace.getConfiguration('tunix').update('database.path', db, vscode.ConfigurationTarget.Workspace);
    await waitFor(() => api.services.databasePath() === db, 'the database setting to apply');
  });

  after(async () => {
    const engine = parts().engines.peek();
    for (const r of engine?.list({ status: ['running', 'queued'] }) ?? []) await engine!.cancel(r.id).catch(() => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('tunix').update('database.path', undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the Runs view is empty (welcome content) before the first run', async () => {
    const p = parts();
    p.tree.refresh();
    assert.deepEqual(await p.tree.getChildren(), []);
  });

  it('a run of the built-in trainer shows in the view and the status bar, and its metrics panel updates live', async () => {
    const p = parts();
    const engine = await p.engines.get();
    const run = await engine.submit({ datasetKey: 'runs-it-v1', backend: 'wasm', overrides: [...SMALL, 'steps=400', 'log_interval=5', 'eval_interval=50'] });
    await vscode.commands.executeCommand('tunix.runs.openMetrics', run.id);
    const panel = await waitFor(() => p.metrics.panel, 'the metrics panel');
    assert.deepEqual(p.metrics.runIds, [run.id]);
    await waitFor(() => engine.get(run.id)?.status === 'running', 'the run to start', 60_000);
    // The view lists it with a live description; the status bar shows it.
    await waitFor(async () => {
      p.tree.refresh();
      const nodes = await p.tree.getChildren();
      const item = nodes.length ? p.tree.getTreeItem(nodes[0]) : undefined;
      return item && /step \d+\/400/.test(String(item.description)) && (item.iconPath as vscode.ThemeIcon).id === 'sync~spin';
    }, 'the Runs view to show the running run with its progress', 60_000);
    await waitFor(() => /step \d+\/400/.test(p.statusBar.item.text), 'the status bar item to show the step', 30_000);
    // Live: the panel's data grows while the run trains.
    const first = await waitFor(() => ((p.metrics.lastShow?.points ?? 0) > 0 ? p.metrics.lastShow : undefined), 'the first metrics in the panel', 60_000);
    await waitFor(() => (p.metrics.lastShow?.points ?? 0) > first.points && (p.metrics.lastShow?.at ?? 0) > first.at, 'a live update with more points', 60_000);
    assert.ok(!panel.isDisposed);
    const ended = await engine.waitForEnd(run.id);
    assert.equal(ended.status, 'completed', JSON.stringify(ended.outcome));
    assert.equal(ended.progress?.step, 400);
    await waitFor(async () => {
      p.tree.refresh();
      const nodes = await p.tree.getChildren();
      const item = p.tree.getTreeItem(nodes[0]);
      return (item.iconPath as vscode.ThemeIcon).id === 'pass' && /^completed · 400 steps/.test(String(item.description)) && item.contextValue === 'tunix.run.completed';
    }, 'the view to show the run completed');
  });

  it('cancel and resume through the commands: the run continues from its checkpoint to the planned steps', async () => {
    const p = parts();
    const engine = await p.engines.get();
    const run = await engine.submit({ datasetKey: 'runs-it-v1', backend: 'wasm', overrides: [...SMALL, 'steps=900', 'checkpoint_interval=25'] });
    const latest = path.join(run.runDir, 'checkpoints', 'latest.json');
    await waitFor(() => fs.existsSync(latest), 'a checkpoint', 120_000);
    await vscode.commands.executeCommand('tunix.runs.cancel', run.id);
    const cancelled = engine.get(run.id)!;
    assert.equal(cancelled.status, 'cancelled');
    const pid = JSON.parse(fs.readFileSync(path.join(run.runDir, 'process.json'), 'utf8')).pid;
    assert.throws(() => process.kill(pid, 0), 'the launcher is gone');
    await vscode.commands.executeCommand('tunix.runs.resume', run.id);
    const ended = await engine.waitForEnd(run.id);
    assert.equal(ended.status, 'completed', JSON.stringify(ended.outcome));
    assert.equal(ended.attempts, 2);
    assert.equal(ended.progress?.step, 900);
    assert.ok((ended.progress?.resumedFromStep ?? 0) >= 25);
  });

  it('opens the run log; an external trainer runs in the trusted workspace and its metrics reach the panel', async () => {
    const p = parts();
    const engine = await p.engines.get();
    assert.equal(vscode.workspace.isTrusted, true);
    const run = await engine.submit({
      datasetKey: 'runs-it-v1',
      recipe: 'external',
      command: [process.execPath, path.join(repoRoot, 'test', 'fixtures', 'trainers', 'jax_style.mjs'), '--data', '${train}', '--output', '${output_dir}', '--steps', '60', '--step-ms', '20'],
    });
    const ended = await engine.waitForEnd(run.id);
    assert.equal(ended.status, 'completed', JSON.stringify(ended.outcome));
    await vscode.commands.executeCommand('tunix.runs.openMetrics', run.id);
    await waitFor(() => p.metrics.runIds[0] === run.id && (p.metrics.lastShow?.points ?? 0) >= 60, 'the external run in the panel');
    await vscode.commands.executeCommand('tunix.runs.openLog', run.id);
    const doc = await waitFor(() => vscode.window.activeTextEditor?.document, 'the log editor');
    assert.equal(doc.uri.fsPath, path.join(run.runDir, 'logs', 'output.log'));
    assert.match(doc.getText(), /Starting SFT Training \(jax\)/);
  });

  it('compare overlays several runs in one panel', async () => {
    const p = parts();
    const engine = await p.engines.get();
    const done = engine.list({ status: 'completed' }).map((r: RunRecord) => r.id);
    assert.ok(done.length >= 2);
    await vscode.commands.executeCommand('tunix.runs.compareMetrics', undefined, done.slice(0, 2));
    await waitFor(() => p.metrics.runIds.length === 2, 'two runs in the panel');
  });

  it('re-attaches to a run that outlived its engine (a window reload) and records its end', async () => {
    const p = parts();
    const first = await p.engines.get();
    const run = await first.submit({ datasetKey: 'runs-it-v1', backend: 'wasm', overrides: [...SMALL, 'steps=600'] });
    await waitFor(() => (first.liveProgress(run.id)?.step ?? 0) > 5, 'the run to train', 120_000);
    // Switching the database away and back disposes the engine (detaching) and starts a new one.
    const other = path.join(dir, 'other.db');
    await vscode.workspace.getConfiguration('tunix').update('database.path', other, vscode.ConfigurationTarget.Workspace);
    await waitFor(() => p.engines.peek() !== first, 'the engine to be replaced');
    await vscode.workspace.getConfiguration('tunix').update('database.path', db, vscode.ConfigurationTarget.Workspace);
    const second = await waitFor(async () => {
      const e = await p.engines.get();
      return e !== first && e.store.path === db ? e : undefined;
    }, 'a new engine on the database');
    await waitFor(() => second.liveProgress(run.id) !== undefined, 'the new engine to re-attach', 30_000);
    const ended = await second.waitForEnd(run.id);
    assert.equal(ended.status, 'completed', JSON.stringify(ended.outcome));
    assert.equal(ended.progress?.step, 600);
  });
});
