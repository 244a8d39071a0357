// The metrics reader: one test per shape a run folder can hold, plus bad input.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { normalizeMetricRecord, parseMetricsLines, parseTimestamp, parseTrainerState, seriesNames } from '../../../src/core/run/metricsReader';
import { MetricsFollower, readRunMetrics, type MetricsBatch } from '../../../src/core/run/metricsSource';

describe('metrics reader', () => {
  it("reads tunix-rt's JAX lines {step, epoch, loss, timestamp, device} (device is a label, not a series)", () => {
    const p = normalizeMetricRecord({ step: 10, epoch: 1, loss: 2.3456, timestamp: '2025-12-20T10:11:12.500000+00:00', device: 'cuda:0' })!;
    assert.equal(p.step, 10);
    assert.equal(p.epoch, 1);
    assert.deepEqual(p.values, { loss: 2.3456 });
    assert.equal(p.time, Date.parse('2025-12-20T10:11:12.500Z'));
  });

  it("reads tunix-rt's PyTorch lines {step, loss, timestamp, metrics: {...}} with the nested metrics spread", () => {
    const p = normalizeMetricRecord({ step: 50, loss: 1.2, timestamp: '2025-12-20T10:00:00+00:00', metrics: { train_runtime: 12.5, train_samples_per_second: 40.1, epoch: 3 } })!;
    assert.deepEqual(p.values, { loss: 1.2, train_runtime: 12.5, train_samples_per_second: 40.1, epoch: 3 });
  });

  it("reads the built-in trainer's lines: every numeric field, memory kept under its parent name", () => {
    const p = normalizeMetricRecord({
      step: 100, epoch: 0.5, loss: 0.83, learning_rate: 0.003, grad_norm: 1.7, tokens_per_second: 9400, examples_per_second: 47,
      elapsed: 61.2, memory: { rss: 2e8, tensors: 120, bytes: 5e6 }, timestamp: '2026-01-01T00:00:00.000Z',
    })!;
    assert.equal(p.values.loss, 0.83);
    assert.equal(p.values.tokens_per_second, 9400);
    assert.equal(p.values['memory.rss'], 2e8);
    assert.equal(p.values['memory.tensors'], 120);
    assert.equal(p.epoch, 0.5);
    const ev = normalizeMetricRecord({ step: 100, epoch: 0.5, eval_loss: 0.9, eval_accuracy: 0.75, timestamp: 1767225600 })!;
    assert.deepEqual(ev.values, { eval_loss: 0.9, eval_accuracy: 0.75 });
    assert.equal(ev.time, 1767225600 * 1000, 'seconds since the epoch become ms');
  });

  it('reads a Hugging Face trainer_state.json log_history (train, eval and the final summary entries)', () => {
    const state = {
      global_step: 30, max_steps: 30, epoch: 3,
      log_history: [
        { loss: 2.5, grad_norm: 3.1, learning_rate: 5e-5, epoch: 1, step: 10 },
        { eval_loss: 2.2, eval_runtime: 0.5, eval_samples_per_second: 100, epoch: 1, step: 10 },
        { loss: 1.5, grad_norm: 2.0, learning_rate: 2.5e-5, epoch: 2, step: 20 },
        { train_runtime: 9.1, train_samples_per_second: 33, train_loss: 1.9, total_flos: 1e12, epoch: 3, step: 30 },
      ],
    };
    const points = parseTrainerState(JSON.stringify(state));
    assert.equal(points.length, 4);
    assert.deepEqual(points.map((p) => p.step), [10, 10, 20, 30]);
    assert.equal(points[1].values.eval_loss, 2.2);
    assert.equal(points[3].values.train_loss, 1.9);
    assert.equal(points[3].values.loss, undefined, 'the summary is not a loss point');
    assert.deepEqual(seriesNames(points).slice(0, 4), ['loss', 'eval_loss', 'learning_rate', 'grad_norm']);
  });

  it('maps common alternative names to the canonical ones', () => {
    const p = normalizeMetricRecord({ global_step: 3, lr: 0.1, 'train/loss': 2, val_loss: 3, 'eval/loss': 4, time: '2025-01-01T00:00:00Z' })!;
    assert.equal(p.step, 3);
    assert.equal(p.values.learning_rate, 0.1);
    assert.equal(p.values.loss, 2);
    assert.equal(p.values.eval_loss, 4);
    assert.equal(p.time, Date.parse('2025-01-01T00:00:00Z'));
  });

  it('skips bad lines with their line number and why, and keeps the good ones', () => {
    const { points, skipped } = parseMetricsLines(['{"step": 1, "loss": 2}', '', 'not json', '{"loss": 3}', '{"step": "x"}', '[1,2]', '{"step": 2, "loss": NaN}', '{"step": 3, "loss": 1.5}'], 1);
    assert.deepEqual(points.map((p) => p.step), [1, 3]);
    assert.deepEqual(skipped.map((s) => s.line), [3, 4, 5, 6, 7]);
    assert.match(skipped[0].reason, /not JSON/);
    assert.match(skipped[1].reason, /no numeric "step"/);
  });

  it('refuses a trainer_state.json that is not one, saying why', () => {
    assert.throws(() => parseTrainerState('{"global_step": 3}'), /no "log_history" array/);
    assert.throws(() => parseTrainerState('{'), /not valid JSON/);
  });

  it('parses timestamps in ISO 8601, seconds and milliseconds', () => {
    assert.equal(parseTimestamp('2026-02-03T04:05:06Z'), Date.UTC(2026, 1, 3, 4, 5, 6));
    assert.equal(parseTimestamp(1700000000.5), 1700000000500);
    assert.equal(parseTimestamp(1700000000500), 1700000000500);
    assert.equal(parseTimestamp('soon'), undefined);
    assert.equal(parseTimestamp(-1), undefined);
  });

  it('follows a growing metrics.jsonl line by line, holding back a half-written last line', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'metrics.jsonl');
    const batches: MetricsBatch[] = [];
    const f = new MetricsFollower(dir, (b) => batches.push(b));
    fs.writeFileSync(file, '{"step": 1, "loss": 3}\n{"step": 2, "lo');
    await f.poll();
    assert.deepEqual(batches.flatMap((b) => b.points.map((p) => p.step)), [1]);
    fs.appendFileSync(file, 'ss": 2.5}\r\n{"step": 3, "loss": 2}\n');
    await f.poll();
    assert.deepEqual(batches.flatMap((b) => b.points.map((p) => p.step)), [1, 2, 3]);
    // Rewritten from scratch (a new run in the same folder): a reset batch from the top.
    fs.writeFileSync(file, '{"step": 1, "loss": 9}\n');
    await f.poll();
    const last = batches.at(-1)!;
    assert.equal(last.reset, true);
    assert.deepEqual(last.points.map((p) => p.values.loss), [9]);
  });

  it('follows a Hugging Face trainer_state.json rewritten whole, delivering only new entries; finds it in checkpoint-N/', async () => {
    const dir = tempDir();
    const ck = path.join(dir, 'checkpoint-10');
    fs.mkdirSync(ck);
    const state = (n: number) => JSON.stringify({ max_steps: 40, log_history: Array.from({ length: n }, (_, i) => ({ loss: 1 / (i + 1), step: (i + 1) * 5 })) });
    fs.writeFileSync(path.join(ck, 'trainer_state.json'), state(2));
    const batches: MetricsBatch[] = [];
    const f = new MetricsFollower(dir, (b) => batches.push(b));
    await f.poll();
    assert.deepEqual(batches.flatMap((b) => b.points.map((p) => p.step)), [5, 10]);
    assert.equal(f.maxStepsFromTrainerState(), 40);
    await new Promise((r) => setTimeout(r, 20));
    fs.writeFileSync(path.join(dir, 'trainer_state.json'), state(5));
    await f.poll();
    assert.deepEqual(batches.flatMap((b) => b.points.map((p) => p.step)), [5, 10, 15, 20, 25]);
    const all = await readRunMetrics(dir);
    assert.equal(all.points.length, 5);
    assert.equal(all.source, 'trainer_state.json');
  });
});
