// The launcher + supervisor with real processes: real trainers (test/fixtures/trainers)
// started through dist/launcher.js in their own process group, watched, killed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { launchAttempt } from '../../../src/core/run/launch';
import { RunSupervisor } from '../../../src/core/run/supervisor';
import { readRunMetrics } from '../../../src/core/run/metricsSource';
import type { RunProgress } from '../../../src/core/run/types';
import { fixture, launcherPath, makeRunDir, pidAlive, waitFor } from './runFixtures';

function start(runDir: string, argv: string[], opts: { protocol?: boolean; heartbeatTimeoutMs?: number; attempt?: number; killGraceMs?: number } = {}) {
  const attempt = opts.attempt ?? 1;
  const launched = launchAttempt({ runDir, attempt, argv, cwd: runDir, launcherPath });
  const sup = new RunSupervisor({
    runDir,
    attempt,
    pid: launched.pid,
    startToken: launched.startToken,
    child: launched.child,
    protocol: opts.protocol ?? true,
    heartbeatTimeoutMs: opts.heartbeatTimeoutMs ?? 20_000,
    killGraceMs: opts.killGraceMs ?? 1500,
    stdoutOffset: launched.stdoutOffset,
  }).start();
  return { sup, launched };
}

describe('run supervisor (real processes)', function () {
  this.timeout(60_000);
  const root = tempDir('tunix-sup-');

  it('a protocol trainer that really trains completes, with progress, metrics, checkpoints and predictions', async () => {
    const runDir = makeRunDir(root, 'ok');
    const { sup } = start(runDir, [process.execPath, fixture('linear_regression.mjs'), runDir]);
    const seen: RunProgress[] = [];
    sup.on('progress', (p) => seen.push(p));
    const outcome = await sup.done;
    assert.equal(outcome.status, 'completed', JSON.stringify(outcome));
    assert.equal(outcome.exitCode, 0);
    assert.ok(seen.some((p) => p.totalSteps === 60));
    assert.equal(sup.progress.step, 60);
    const { points } = await readRunMetrics(runDir);
    const losses = points.filter((p) => p.values.loss !== undefined).map((p) => p.values.loss);
    assert.equal(losses.length, 12);
    assert.ok(losses.at(-1)! < losses[0] / 10, `loss fell from ${losses[0]} to ${losses.at(-1)}`);
    assert.ok(points.some((p) => p.values.eval_loss !== undefined));
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoints', 'latest.json'), 'utf8')).step, 60);
    const preds = fs.readFileSync(path.join(runDir, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(preds.length, 8);
    // The log the user opens has stdout and stderr interleaved.
    const log = fs.readFileSync(path.join(runDir, 'logs', 'output.log'), 'utf8');
    assert.match(log, /"event":"completed"/);
    assert.match(log, /\[stderr\] \[linear_regression\] done/);
  });

  it('a crash ends the run as failed with the error line and the last log lines', async () => {
    const runDir = makeRunDir(root, 'crash');
    const { sup } = start(runDir, [process.execPath, fixture('crash.mjs'), runDir]);
    const outcome = await sup.done;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.kind, 'exit-code');
    assert.equal(outcome.exitCode, 1);
    assert.match(outcome.reason!, /exited with code 1: TypeError: Cannot read properties of null/);
    assert.ok(outcome.lastLogLines!.some((l) => l.includes('TypeError')));
  });

  it('running out of heap memory is reported as OOM', async () => {
    const runDir = makeRunDir(root, 'oom');
    const { sup } = start(runDir, [process.execPath, '--max-old-space-size=24', fixture('oom.mjs'), runDir]);
    const outcome = await sup.done;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.kind, 'oom', JSON.stringify(outcome));
    assert.match(outcome.reason!, /out of memory \(JavaScript heap/);
  });

  it('a trainer that stops sending heartbeats is ended as failed (hang), even when it ignores SIGTERM', async () => {
    const runDir = makeRunDir(root, 'hang');
    const started = Date.now();
    const { sup, launched } = start(runDir, [process.execPath, fixture('hang.mjs'), '--ignore-sigterm', runDir], { heartbeatTimeoutMs: 1500, killGraceMs: 800 });
    const outcome = await sup.done;
    const took = Date.now() - started;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.kind, 'hang');
    assert.match(outcome.reason!, /no heartbeat for \d+ s/);
    assert.ok(took < 8000, `took ${took} ms`);
    assert.equal(pidAlive(launched.pid), false);
  });

  it('cancel ends the whole process tree (trainer and its worker) within seconds', async () => {
    const runDir = makeRunDir(root, 'tree');
    const { sup, launched } = start(runDir, [process.execPath, fixture('grandchild.mjs'), '--worker-setsid', runDir]);
    const pidFile = path.join(runDir, 'grandchild.pid');
    await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').length > 0, 10_000, 'the worker pid');
    const worker = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(pidAlive(worker));
    const t0 = Date.now();
    await sup.kill('cancel');
    const outcome = await sup.done;
    assert.ok(Date.now() - t0 < 5000, `cancel took ${Date.now() - t0} ms`);
    assert.equal(outcome.status, 'cancelled');
    assert.equal(pidAlive(launched.pid), false, 'launcher still alive');
    assert.equal(pidAlive(worker), false, 'worker (grandchild, own session) still alive');
  });

  it('a command that does not exist fails as a spawn error', async () => {
    const runDir = makeRunDir(root, 'nocmd');
    const { sup } = start(runDir, ['/nonexistent/trainer-binary', runDir], { protocol: false });
    const outcome = await sup.done;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.kind, 'spawn');
    assert.match(outcome.reason!, /ENOENT/);
  });

  it('a re-attached supervisor (pid only, no child handle) sees the same run end', async () => {
    const runDir = makeRunDir(root, 'reattach', { steps: 40 });
    const launched = launchAttempt({ runDir, attempt: 1, argv: [process.execPath, fixture('linear_regression.mjs'), '--step-ms=20', runDir], cwd: runDir, launcherPath });
    const sup = new RunSupervisor({ runDir, attempt: 1, pid: launched.pid, startToken: launched.startToken, protocol: true, heartbeatTimeoutMs: 20_000 }).start();
    const outcome = await sup.done;
    assert.equal(outcome.status, 'completed');
    assert.equal(sup.progress.step, 40);
  });
});
