import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { optionalResolve } from '../../../src/core/env/backends';
import { resolveConfig } from '../../../src/trainer/config';
import { classifyError, TrainerError } from '../../../src/trainer/errors';
import { runTrainer } from './runTrainer';
import { generatedSplits, writeRun } from './fixtures';

function configError(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TrainerError, `expected a TrainerError, got ${e}`);
    assert.equal(e.kind, 'config');
    assert.equal(e.exitCode, 2);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

describe('trainer: config.json', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'data'));
  fs.writeFileSync(path.join(dir, 'data', 'train.jsonl'), '');
  const base = { run_id: 'r1', recipe: 'sft_transformer', data: { train: 'data/train.jsonl' } };

  it('fills what is missing from the engine defaults', () => {
    const c = resolveConfig(base, dir, {});
    assert.equal(c.backend, 'auto');
    assert.equal(c.training.batch_size, 32);
    assert.equal(c.model.d_model, 64);
    assert.equal(c.heartbeat_interval_ms, 2000);
    assert.equal(c.allow_software_gpu, false);
    assert.equal(c.files.train, path.join(dir, 'data', 'train.jsonl'));
    assert.equal(resolveConfig(base, dir, { TUNIX_ALLOW_SOFTWARE_GPU: '1' }).allow_software_gpu, true);
  });

  it('a given epochs replaces the default steps', () => {
    const c = resolveConfig({ ...base, training: { epochs: 2 } }, dir, {});
    assert.equal(c.training.steps, undefined);
    assert.equal(c.training.epochs, 2);
  });

  it('names every problem at once: unknown keys, types, ranges, cross-field rules', () => {
    configError(
      () => resolveConfig({ ...base, lerning_rate: 1, backend: 'tpu', training: { batch_size: 0, learning_rate: 'fast' }, model: { d_model: 30, heads: 4 } }, dir, {}),
      /5 problems/,
      /unknown key "lerning_rate"/,
      /backend must be one of auto, gpu, webgpu, native, wasm, cpu, got "tpu"/,
      /training\.batch_size must be at least 1/,
      /training\.learning_rate must be a number/,
      /model\.heads \(4\) must divide model\.d_model \(30\)/,
    );
  });

  it('refuses data paths outside the run folder and requires label_field for the classifier', () => {
    configError(() => resolveConfig({ ...base, data: { train: '../../etc/passwd' } }, dir, {}), /outside the run folder/);
    configError(() => resolveConfig({ ...base, recipe: 'observer_classifier' }, dir, {}), /label_field is required/);
    configError(() => resolveConfig({ ...base, recipe: 'gpt5' }, dir, {}), /recipe must be one of sft_transformer, observer_classifier/);
  });

  it('unexpected failures are classified: out of memory (with what to lower) or internal', () => {
    const oom = classifyError(new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'));
    assert.equal(oom.kind, 'oom');
    assert.equal(oom.exitCode, 1);
    assert.match(oom.message, /Lower training\.batch_size/);
    assert.equal(classifyError(new Error('boom')).kind, 'internal');
    const known = new TrainerError('data', 'bad line');
    assert.equal(classifyError(known), known);
  });

  it('a missing data file is a data error naming it', () => {
    assert.throws(
      () => resolveConfig({ ...base, data: { train: 'data/train.jsonl', test: 'data/test.jsonl' } }, dir, {}),
      (e: unknown) => e instanceof TrainerError && e.kind === 'data' && e.message.includes(path.join(dir, 'data', 'test.jsonl')),
    );
  });

  it('the trainer process reports a bad config as one error event and exits 2', async () => {
    const run = tempDir();
    fs.writeFileSync(path.join(run, 'config.json'), '{"run_id": "x", "recipe": "sft_transformer",');
    const r = await runTrainer([run]);
    assert.equal(r.code, 2);
    assert.deepEqual(r.strayStdout, []);
    const errors = r.events.filter((e) => e.event === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].kind, 'config');
    assert.match(errors[0].message, /config\.json is not valid JSON/);
    const missing = await runTrainer([path.join(run, 'nope')]);
    assert.equal(missing.code, 2);
    assert.match(missing.events[0].message, /does not exist/);
    const usage = await runTrainer([]);
    assert.equal(usage.code, 2);
    assert.match(usage.events[0].message, /Usage: node dist\/trainer\.js <runDir>/);
  });

  it('an explicitly requested backend that is not installed is an error naming the package', async function () {
    if (optionalResolve('@tensorflow/tfjs-node')) this.skip(); // installed here: nothing to report
    const run = tempDir();
    writeRun(run, generatedSplits({ train: 8 }), { backend: 'native', training: { steps: 1 } });
    const r = await runTrainer([run]);
    assert.equal(r.code, 2, r.stderr);
    const error = r.events.find((e) => e.event === 'error');
    assert.equal(error?.kind, 'backend');
    assert.match(error?.message, /"native" backend cannot be used here: @tensorflow\/tfjs-node is not installed/);
  });
});
