// The run engine end to end with real processes and a real store: submit, queue, progress,
// completion, failure, cancel, resume from checkpoint, re-attach after a "reload", interrupted
// runs, external trainers (Python and Node), delete.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { readRunMetrics } from '../../../src/core/run/metricsSource';
import { runFiles } from '../../../src/core/run/runFolder';
import { isUserError } from '../../../src/core/errors';
import { fixture, pidAlive, waitFor } from './runFixtures';
import { openEngine } from './engineHarness';

const finalWeights = (runDir: string) => JSON.parse(fs.readFileSync(path.join(runDir, 'model', 'model.json'), 'utf8')).w as number[];

describe('run engine (real processes, real store)', function () {
  this.timeout(90_000);
  const root = tempDir('tunix-engine-');
  let n = 0;
  const db = () => path.join(root, `db${++n}`, 'tunix.db');

  it('runs a built-in-protocol trainer to completion: record, folder, manifest, metrics, predictions', async () => {
    const h = await openEngine(db());
    try {
      const submitted = await h.engine.submit({ datasetKey: 'addition-v1', overrides: ['steps=400', 'log_interval=50', 'seed=7'] });
      assert.equal(submitted.status, 'queued');
      assert.match(submitted.id, /^run-\d{8}-\d{6}-[0-9a-f]{4}$/);
      const progress: number[] = [];
      h.engine.on('progress', (id, p) => id === submitted.id && p.step !== undefined && progress.push(p.step));
      const ended = await h.engine.waitForEnd(submitted.id);
      assert.equal(ended.status, 'completed', JSON.stringify(ended.outcome));
      assert.equal(ended.attempts, 1);
      assert.equal(ended.progress?.step, 400);
      assert.equal(ended.environment?.backend, 'cpu');
      assert.ok(progress.includes(400));
      const files = runFiles(ended.runDir);
      assert.equal(path.dirname(ended.runDir), path.join(path.dirname(h.dbPath), 'runs'));
      const manifest = JSON.parse(fs.readFileSync(files.manifest, 'utf8'));
      for (const k of ['run_id', 'created_at', 'dataset', 'training_config', 'model_config', 'recipe', 'backend', 'seed', 'artifacts_path']) assert.ok(k in manifest, k);
      assert.equal(manifest.run_id, ended.id);
      assert.equal(manifest.dataset, 'addition-v1');
      assert.equal(manifest.seed, 7);
      assert.equal(manifest.training_config.steps, 400);
      assert.equal(manifest.status, 'completed');
      assert.equal(manifest.environment.backend, 'cpu');
      const config = JSON.parse(fs.readFileSync(files.config, 'utf8'));
      assert.deepEqual(config.data, { train: 'data/train.jsonl', val: 'data/val.jsonl', test: 'data/test.jsonl' });
      assert.equal(config.resume, false);
      const { points } = await readRunMetrics(ended.runDir);
      assert.equal(points.filter((p) => p.values.loss !== undefined).length, 8);
      // Linear regression on a + b learns the sum: the predictions are right.
      const preds = fs.readFileSync(files.predictions, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const test = fs.readFileSync(path.join(ended.runDir, 'data', 'test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const correct = preds.filter((p, i) => p.prediction === test[i].final_answer).length;
      assert.ok(correct >= 6, `${correct}/8 correct`);
      assert.deepEqual(h.engine.list().map((r) => r.id), [ended.id]);
    } finally {
      await h.close();
    }
  });

  it('queues runs beyond the concurrency limit and starts them as slots free', async () => {
    const h = await openEngine(db(), { maxConcurrent: 1, trainer: [process.execPath, fixture('linear_regression.mjs'), '--step-ms=15'] });
    try {
      const a = await h.engine.submit({ datasetKey: 'd', overrides: ['steps=30'] });
      const b = await h.engine.submit({ datasetKey: 'd', overrides: ['steps=30'] });
      await waitFor(() => h.engine.get(a.id)!.status === 'running', 10_000, 'a running');
      assert.equal(h.engine.get(b.id)!.status, 'queued');
      assert.equal(h.engine.queuePosition(b.id), 1);
      await h.engine.waitForEnd(a.id);
      const endedB = await h.engine.waitForEnd(b.id);
      assert.equal(endedB.status, 'completed');
      assert.ok(h.engine.get(b.id)!.startedAt! >= h.engine.get(a.id)!.endedAt!);
    } finally {
      await h.close();
    }
  });

  it('cancel ends a running run within seconds; resume continues from the checkpoint to the same result', async () => {
    const slow = [process.execPath, fixture('linear_regression.mjs'), '--step-ms=25'];
    const h = await openEngine(db(), { trainer: slow });
    try {
      const settings = ['steps=120', 'checkpoint_interval=20', 'seed=3'];
      const reference = await h.engine.submit({ datasetKey: 'd', overrides: settings });
      const run = await h.engine.submit({ datasetKey: 'd', overrides: settings });
      await waitFor(() => fs.existsSync(runFiles(run.runDir).latestCheckpoint) && (h.engine.liveProgress(run.id)?.step ?? 0) >= 45, 20_000, 'two checkpoints');
      const pid = h.engine.get(run.id)!.pid!;
      const t0 = Date.now();
      const cancelled = await h.engine.cancel(run.id);
      assert.ok(Date.now() - t0 < 5000);
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(cancelled.outcome?.reason, 'cancelled by the user');
      assert.equal(pidAlive(pid), false);
      const stepAtCancel = cancelled.progress!.step!;
      assert.ok(stepAtCancel < 120);

      await h.engine.resume(run.id);
      const resumed = await h.engine.waitForEnd(run.id);
      assert.equal(resumed.status, 'completed', JSON.stringify(resumed.outcome));
      assert.equal(resumed.attempts, 2);
      assert.equal(resumed.progress?.step, 120);
      assert.ok((resumed.progress?.resumedFromStep ?? -1) >= 40 && resumed.progress!.resumedFromStep! <= stepAtCancel);
      const config = JSON.parse(fs.readFileSync(runFiles(run.runDir).config, 'utf8'));
      assert.equal(config.resume, true);
      // Same seed, resumed from a checkpoint that holds the RNG state: the same model as an uninterrupted run.
      await h.engine.waitForEnd(reference.id);
      assert.deepEqual(finalWeights(run.runDir), finalWeights(reference.runDir));
      // The metrics file continues (appended): the last line is step 120, and the resumed attempt's lines follow the old ones.
      const { points } = await readRunMetrics(run.runDir);
      assert.equal(points.at(-1)!.step, 120);
      const log = fs.readFileSync(runFiles(run.runDir).output, 'utf8');
      assert.match(log, /--- attempt 1 started/);
      assert.match(log, /--- attempt 2 started/);
    } finally {
      await h.close();
    }
  });

  it('a crashing trainer fails the run with the reason and the last log lines', async () => {
    const h = await openEngine(db(), { trainer: [process.execPath, fixture('linear_regression.mjs'), '--fail-at-step=12'] });
    try {
      const run = await h.engine.submit({ datasetKey: 'd', overrides: ['steps=50'] });
      const ended = await h.engine.waitForEnd(run.id);
      assert.equal(ended.status, 'failed');
      assert.equal(ended.outcome?.kind, 'exit-code');
      assert.match(ended.outcome!.reason!, /exited with code 1: Error: deliberate failure at step 12/);
      assert.ok(ended.outcome!.lastLogLines!.length > 0);
      assert.match(JSON.parse(fs.readFileSync(runFiles(run.runDir).manifest, 'utf8')).outcome.reason, /deliberate failure/);
    } finally {
      await h.close();
    }
  });

  it('a hung trainer is failed after the heartbeat timeout', async () => {
    const h = await openEngine(db(), { trainer: [process.execPath, fixture('hang.mjs')], heartbeatTimeoutMs: 1200 });
    try {
      const run = await h.engine.submit({ datasetKey: 'd' });
      const ended = await h.engine.waitForEnd(run.id);
      assert.equal(ended.status, 'failed');
      assert.equal(ended.outcome?.kind, 'hang');
    } finally {
      await h.close();
    }
  });

  it('re-attaches to a run that outlived its window, and records its end', async () => {
    const dbPath = db();
    const first = await openEngine(dbPath, { trainer: [process.execPath, fixture('linear_regression.mjs'), '--step-ms=20'] });
    const run = await first.engine.submit({ datasetKey: 'd', overrides: ['steps=100'] });
    await waitFor(() => (first.engine.liveProgress(run.id)?.step ?? 0) >= 10, 10_000, 'some progress');
    const pid = first.engine.get(run.id)!.pid!;
    await first.close(); // the window reloads: the run keeps going
    assert.ok(pidAlive(pid), 'the run must survive its engine');
    const second = await openEngine(dbPath);
    try {
      assert.equal(second.engine.get(run.id)!.status, 'running');
      await waitFor(() => second.engine.liveProgress(run.id) !== undefined, 5000, 're-attached');
      const ended = await second.engine.waitForEnd(run.id);
      assert.equal(ended.status, 'completed', JSON.stringify(ended.outcome));
      assert.equal(ended.progress?.step, 100);
    } finally {
      await second.close();
    }
  });

  it('marks a run whose process vanished without a trace as interrupted; resume finishes it', async () => {
    const dbPath = db();
    const first = await openEngine(dbPath, { trainer: [process.execPath, fixture('linear_regression.mjs'), '--step-ms=20'] });
    const run = await first.engine.submit({ datasetKey: 'd', overrides: ['steps=80', 'checkpoint_interval=10'] });
    await waitFor(() => fs.existsSync(runFiles(run.runDir).latestCheckpoint), 10_000, 'a checkpoint');
    const pid = first.engine.get(run.id)!.pid!;
    await first.close();
    // The machine "crashes": the whole process group dies at once, nothing is written.
    process.kill(-pid, 'SIGKILL');
    await waitFor(() => !pidAlive(pid), 5000, 'the group to die');
    const second = await openEngine(dbPath, { trainer: [process.execPath, fixture('linear_regression.mjs')] });
    try {
      const r = second.engine.get(run.id)!;
      assert.equal(r.status, 'interrupted');
      assert.match(r.outcome!.reason!, /resume/);
      await second.engine.resume(run.id);
      const ended = await second.engine.waitForEnd(run.id);
      assert.equal(ended.status, 'completed');
      assert.equal(ended.progress?.step, 80);
      assert.ok((ended.progress?.resumedFromStep ?? 0) > 0);
    } finally {
      await second.close();
    }
  });

  it('cancels a run owned by another process (CLI run cancelled from a window)', async () => {
    const dbPath = db();
    const owner = await openEngine(dbPath, { trainer: [process.execPath, fixture('linear_regression.mjs'), '--step-ms=30'] });
    const other = await openEngine(dbPath);
    try {
      const run = await owner.engine.submit({ datasetKey: 'd', overrides: ['steps=400'] });
      await waitFor(() => owner.engine.get(run.id)!.status === 'running', 10_000, 'running');
      const ownerSees = owner.engine.waitForEnd(run.id);
      other.store.refresh();
      const cancelled = await other.engine.cancel(run.id);
      assert.equal(cancelled.status, 'cancelled');
      assert.equal((await ownerSees).status, 'cancelled');
    } finally {
      await other.close();
      await owner.close();
    }
  });

  it('runs an external Python trainer (Hugging Face trainer_state.json) with placeholders, only when trusted', async () => {
    const dbPath = db();
    const command = ['python3', fixture('tiny_trainer.py'), '--train', '${train}', '--val', '${val}', '--output_dir', '${output_dir}', '--config', '${config}', '--steps', '60'];
    const untrusted = await openEngine(dbPath, { trusted: false });
    try {
      await assert.rejects(untrusted.engine.submit({ datasetKey: 'd', recipe: 'external', command }), (e: Error) => isUserError(e) && /trusted workspace/.test(e.message));
    } finally {
      await untrusted.close();
    }
    const h = await openEngine(dbPath);
    try {
      await assert.rejects(h.engine.submit({ datasetKey: 'd', recipe: 'external', command: ['python3', '${trian}'] }), /Unknown placeholder \$\{trian\}/);
      const run = await h.engine.submit({ datasetKey: 'd', recipe: 'external', command });
      assert.equal(run.backend, 'external');
      const ended = await h.engine.waitForEnd(run.id);
      assert.equal(ended.status, 'completed', JSON.stringify(ended.outcome));
      assert.equal(ended.progress?.step, 60);
      assert.equal(ended.progress?.totalSteps, 60);
      const { points, source } = await readRunMetrics(run.runDir);
      assert.equal(source, 'trainer_state.json');
      assert.equal(points.filter((p) => p.values.loss !== undefined).length, 12);
      assert.equal(points.filter((p) => p.values.eval_loss !== undefined).length, 3);
      assert.ok(points.find((p) => p.values.loss !== undefined)!.values.loss > points.filter((p) => p.values.loss !== undefined).at(-1)!.values.loss);
      const manifest = JSON.parse(fs.readFileSync(runFiles(run.runDir).manifest, 'utf8'));
      assert.deepEqual(manifest.command, command);
    } finally {
      await h.close();
    }
  });

  it('runs an external Node trainer that writes tunix-rt JAX-shaped metrics.jsonl', async () => {
    const h = await openEngine(db());
    try {
      const run = await h.engine.submit({ datasetKey: 'd', recipe: 'external', command: [process.execPath, fixture('jax_style.mjs'), '--data', '${dataset}', '--output', '${output_dir}', '--steps', '30'] });
      const ended = await h.engine.waitForEnd(run.id);
      assert.equal(ended.status, 'completed', JSON.stringify(ended.outcome));
      assert.equal(ended.progress?.step, 30);
      const { points } = await readRunMetrics(run.runDir);
      assert.equal(points.length, 30);
      assert.equal(typeof points[0].time, 'number');
      assert.equal(points[0].epoch, 1);
    } finally {
      await h.close();
    }
  });

  it('an external command that exits non-zero fails with its error line', async () => {
    const h = await openEngine(db());
    try {
      const run = await h.engine.submit({ datasetKey: 'd', recipe: 'external', command: ['python3', fixture('tiny_trainer.py'), '--train', '${train}'] });
      const ended = await h.engine.waitForEnd(run.id);
      assert.equal(ended.status, 'failed');
      assert.equal(ended.outcome?.exitCode, 2);
      assert.match(ended.outcome!.reason!, /the following arguments are required: --output_dir/);
    } finally {
      await h.close();
    }
  });

  it('deletes a finished run (record and folder) and refuses to delete an active one', async () => {
    const h = await openEngine(db(), { trainer: [process.execPath, fixture('linear_regression.mjs'), '--step-ms=30'] });
    try {
      const run = await h.engine.submit({ datasetKey: 'd', overrides: ['steps=200'] });
      await waitFor(() => h.engine.get(run.id)!.status === 'running', 10_000, 'running');
      await assert.rejects(h.engine.delete(run.id), /cancel it before deleting/);
      await h.engine.cancel(run.id.slice(0, -2)); // a unique prefix works
      await h.engine.delete(run.id);
      assert.equal(h.engine.get(run.id), undefined);
      assert.equal(fs.existsSync(run.runDir), false);
    } finally {
      await h.close();
    }
  });

  it('bad settings are refused before anything is created', async () => {
    const h = await openEngine(db());
    try {
      await assert.rejects(h.engine.submit({ datasetKey: 'd', overrides: ['learning_rate=abc'] }), /learning_rate must be a number/);
      await assert.rejects(h.engine.submit({ datasetKey: 'd', overrides: ['heads=3'] }), /must divide model.d_model/);
      await assert.rejects(h.engine.submit({ datasetKey: 'd', recipe: 'observer_classifier' }), /label_field/);
      await assert.rejects(h.engine.submit({ datasetKey: 'd', recipe: 'nope' as never }), /Unknown recipe "nope"/);
      assert.deepEqual(h.engine.list(), []);
    } finally {
      await h.close();
    }
  });
});
