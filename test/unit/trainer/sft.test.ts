// The built-in trainer trains for real (a tiny transformer, a few seconds on the wasm backend)
// through the same child-process contract the run engine uses.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { generatedSplits, writeRun } from './fixtures';
import { readJsonLines, runTrainer, TINY_MODEL, tinyTraining, type TrainerRun } from './runTrainer';

const splits = generatedSplits({ train: 400, val: 16, test: 12 }, { difficulties: ['easy'] });
const trainLines = (file: string) => readJsonLines(file).filter((l) => 'loss' in l);

describe('trainer: sft_transformer (real training, wasm)', function () {
  this.timeout(120_000);
  let runDir: string;
  let run: TrainerRun;

  before(async () => {
    runDir = tempDir();
    writeRun(runDir, splits, { model: TINY_MODEL, training: tinyTraining(), generation: { max_new_tokens: 24 }, heartbeat_interval_ms: 200 });
    run = await runTrainer([runDir]);
  });

  it('exits 0 and prints only JSON events on stdout, started first and completed last', () => {
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.strayStdout, []);
    const names = run.events.filter((e) => e.event !== 'heartbeat').map((e) => e.event);
    assert.equal(names[0], 'started');
    assert.equal(names.at(-1), 'completed');
    const started = run.events.find((e) => e.event === 'started')!;
    assert.equal(started.backend, 'wasm');
    assert.equal(started.total_steps, 40);
    assert.equal(started.versions.tfjs, '4.22.0');
    assert.deepEqual(run.events.at(-1), { event: 'completed', step: 40, predictions: 'predictions.jsonl' });
    assert.deepEqual(run.events.filter((e) => e.event === 'progress').map((e) => e.step), [5, 10, 15, 20, 25, 30, 35, 40]);
    assert.deepEqual(run.events.filter((e) => e.event === 'checkpoint').map((e) => e.path), ['checkpoints/step-20', 'checkpoints/step-40']);
    assert.ok(run.events.filter((e) => e.event === 'heartbeat').length >= 2, 'heartbeats');
  });

  it('the loss goes down', () => {
    const lines = trainLines(path.join(runDir, 'metrics.jsonl'));
    assert.ok(lines.at(-1).loss < lines[0].loss * 0.7, `loss ${lines[0].loss} -> ${lines.at(-1).loss}`);
    const evals = readJsonLines(path.join(runDir, 'metrics.jsonl')).filter((l) => 'eval_loss' in l);
    assert.deepEqual(evals.map((e) => e.step), [20, 40]);
    assert.ok(evals[1].eval_loss < evals[0].eval_loss, 'eval loss goes down');
  });

  it('writes metrics lines with the contract fields', () => {
    const line = trainLines(path.join(runDir, 'metrics.jsonl'))[1];
    for (const key of ['step', 'epoch', 'loss', 'learning_rate', 'grad_norm', 'tokens_per_second', 'examples_per_second', 'elapsed']) {
      assert.equal(typeof line[key], 'number', key);
      assert.ok(Number.isFinite(line[key]), key);
    }
    assert.equal(line.step, 10);
    assert.equal(line.epoch, 0.4);
    assert.ok(line.tokens_per_second > 0 && line.examples_per_second > 0);
    assert.ok(line.memory.rss > 0 && line.memory.tensors > 0 && line.memory.bytes > 0);
    assert.ok(!Number.isNaN(Date.parse(line.timestamp)));
    // Warmup reaches the peak learning rate at step 5, then it decays.
    const lrs = trainLines(path.join(runDir, 'metrics.jsonl')).map((l) => l.learning_rate);
    assert.equal(lrs[0], 0.01);
    assert.ok(lrs.at(-1) < lrs[1] && lrs.at(-1) >= 0.001 - 1e-12);
  });

  it('saves the model, the tokenizer, checkpoints, environment and predictions', () => {
    for (const f of ['weights.json', 'weights.bin', 'tokenizer.json', 'config.json']) assert.ok(fs.existsSync(path.join(runDir, 'model', f)), f);
    const latest = JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoints', 'latest.json'), 'utf8'));
    assert.equal(latest.step, 40);
    assert.equal(latest.path, 'checkpoints/step-40');
    const env = JSON.parse(fs.readFileSync(path.join(runDir, 'environment.json'), 'utf8'));
    assert.equal(env.backend, 'wasm');
    assert.equal(env.device_info.simd, true);
    assert.equal(env.versions.node, process.version);
    const predictions = readJsonLines(path.join(runDir, 'predictions.jsonl'));
    assert.deepEqual(predictions.map((p) => p.id), splits.test.map((t) => t.id));
    for (const p of predictions) {
      assert.equal(typeof p.prediction, 'string');
      assert.equal(typeof p.generation, 'string');
      assert.ok(!p.generation.includes('<end_of_turn>'));
    }
    // After 40 steps the model has learned the shape of a model turn.
    assert.ok(predictions.filter((p) => p.generation.startsWith('Reasoning:')).length >= predictions.length / 2, JSON.stringify(predictions[0]));
  });
});

describe('trainer: data-parallel threads', function () {
  this.timeout(120_000);

  it('two threads compute the same steps as one (gradients of the shards add up to the batch)', async () => {
    const config = { model: TINY_MODEL, training: tinyTraining({ steps: 10, log_interval: 5, eval_interval: 10, checkpoint_interval: 10 }), generation: { max_new_tokens: 4 } };
    const one = tempDir();
    const two = tempDir();
    writeRun(one, { train: splits.train }, { ...config, threads: 1 });
    writeRun(two, { train: splits.train }, { ...config, threads: 2 });
    const [a, b] = await Promise.all([runTrainer([one]), runTrainer([two])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stderr, /data parallel: 2 threads/);
    assert.equal(JSON.parse(fs.readFileSync(path.join(two, 'environment.json'), 'utf8')).threads, 2);
    const la = trainLines(path.join(one, 'metrics.jsonl')).map((l) => l.loss);
    const lb = trainLines(path.join(two, 'metrics.jsonl')).map((l) => l.loss);
    assert.equal(la.length, 2);
    la.forEach((loss, i) => assert.ok(Math.abs(loss - lb[i]) < 1e-3 * loss, `step ${(i + 1) * 5}: ${loss} vs ${lb[i]}`));
  });
});

describe('trainer: checkpoint and resume (real processes)', function () {
  this.timeout(120_000);
  const config = { model: TINY_MODEL, training: tinyTraining({ steps: 30, checkpoint_interval: 10, eval_interval: 10 }), generation: { max_new_tokens: 8 } };

  it('SIGTERM stops the trainer with 143; resume continues at the checkpoint step, the metrics file without duplicates, to the same result', async () => {
    const interrupted = tempDir();
    writeRun(interrupted, { train: splits.train, val: splits.val }, config);
    let sawCheckpoint = false;
    const first = await runTrainer([interrupted], {
      onEvent: (e) => {
        if (e.event === 'checkpoint' && e.step === 10 && !sawCheckpoint) {
          sawCheckpoint = true;
          return 'SIGTERM';
        }
      },
    });
    assert.equal(first.code, 143, first.stderr);
    assert.ok(!first.events.some((e) => e.event === 'completed'));
    const latest = JSON.parse(fs.readFileSync(path.join(interrupted, 'checkpoints', 'latest.json'), 'utf8'));
    const linesBefore = readJsonLines(path.join(interrupted, 'metrics.jsonl'));
    assert.ok(linesBefore.some((l) => l.step === latest.step), 'metrics reached the checkpoint step');

    const cfgFile = path.join(interrupted, 'config.json');
    fs.writeFileSync(cfgFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(cfgFile, 'utf8')), resume: true }));
    const second = await runTrainer([interrupted]);
    assert.equal(second.code, 0, second.stderr);
    const started = second.events.find((e) => e.event === 'started')!;
    assert.equal(started.resumed_from_step, latest.step);
    assert.equal(started.total_steps, 30);
    assert.equal(second.events.filter((e) => e.event === 'progress')[0].step, latest.step + 5);
    assert.equal(second.events.at(-1)!.step, 30);

    const lines = readJsonLines(path.join(interrupted, 'metrics.jsonl'));
    const trainSteps = lines.filter((l) => 'loss' in l).map((l) => l.step);
    assert.deepEqual(trainSteps, [5, 10, 15, 20, 25, 30]);
    assert.deepEqual(lines.filter((l) => 'eval_loss' in l).map((l) => l.step), [10, 20, 30]);

    // The same config run without interruption ends with the same numbers (same backend, same seed).
    const straight = tempDir();
    writeRun(straight, { train: splits.train, val: splits.val }, config);
    const whole = await runTrainer([straight]);
    assert.equal(whole.code, 0, whole.stderr);
    const a = lines.filter((l) => 'loss' in l).map((l) => l.loss);
    const b = readJsonLines(path.join(straight, 'metrics.jsonl')).filter((l) => 'loss' in l).map((l) => l.loss);
    assert.deepEqual(a, b);
  });

  it('resume with no checkpoint yet starts from step 0', async () => {
    const dir = tempDir();
    writeRun(dir, { train: splits.train }, { ...config, training: tinyTraining({ steps: 5 }), resume: true });
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), '{"step": 3, "loss": 9}\n{"step": 4, "lo');
    const r = await runTrainer([dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.events.find((e) => e.event === 'started')!.resumed_from_step, undefined);
    assert.deepEqual(readJsonLines(path.join(dir, 'metrics.jsonl')).map((l) => l.step), [5]);
  });
});
