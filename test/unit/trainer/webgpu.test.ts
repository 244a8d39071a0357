// The WebGPU path, exercised for real. Without a GPU it runs on Mesa's software OpenGL ES
// (llvmpipe) through Dawn's compatibility mode: slow, but the same tfjs-backend-webgpu kernels.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { probeWebGpuAdapter } from '../../../src/core/env/webgpuProbe';
import { generatedSplits, writeRun } from './fixtures';
import { readJsonLines, runTrainer, TINY_MODEL, tinyTraining } from './runTrainer';

describe('trainer: WebGPU backend (software adapter allowed)', function () {
  this.timeout(180_000);

  before(async function () {
    const probe = await probeWebGpuAdapter({ allowSoftware: true, timeoutMs: 30_000 });
    if (!probe.ok) {
      console.log(`      skipped: no WebGPU adapter can be created here (${probe.detail}); install libvulkan1 libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri`);
      this.skip();
    }
  });

  it('trains a few steps on WebGPU and the loss drops', async () => {
    const dir = tempDir();
    const splits = generatedSplits({ train: 120, test: 2 }, { difficulties: ['easy'] });
    writeRun(dir, splits, {
      backend: 'webgpu',
      allow_software_gpu: true,
      model: TINY_MODEL,
      training: tinyTraining({ steps: 12, batch_size: 8, log_interval: 4, checkpoint_interval: 12, eval_interval: 12 }),
      generation: { max_new_tokens: 4 },
    });
    const r = await runTrainer([dir], { timeoutMs: 170_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.strayStdout, [], 'Dawn messages stay off stdout');
    const started = r.events.find((e) => e.event === 'started')!;
    assert.equal(started.backend, 'webgpu');
    const env = JSON.parse(fs.readFileSync(path.join(dir, 'environment.json'), 'utf8'));
    assert.equal(env.tfjs_backend, 'webgpu');
    assert.equal(typeof env.device_info.software, 'boolean');
    const losses = readJsonLines(path.join(dir, 'metrics.jsonl')).map((l) => l.loss);
    assert.equal(losses.length, 3);
    assert.ok(losses.every(Number.isFinite), `finite losses ${losses}`);
    assert.ok(losses[2] < losses[0] * 0.85, `loss ${losses[0]} -> ${losses[2]}`);
    assert.equal(readJsonLines(path.join(dir, 'predictions.jsonl')).length, 2);
  });

  it('without permission a software adapter is refused with a clear reason', async () => {
    const probe = await probeWebGpuAdapter({ allowSoftware: false, timeoutMs: 30_000 });
    if (probe.ok) return; // a real GPU is here: nothing to refuse
    const dir = tempDir();
    writeRun(dir, generatedSplits({ train: 8 }), { backend: 'webgpu', training: { steps: 1 } });
    const r = await runTrainer([dir], { env: { TUNIX_ALLOW_SOFTWARE_GPU: '' } });
    assert.equal(r.code, 2);
    const error = r.events.find((e) => e.event === 'error')!;
    assert.equal(error.kind, 'backend');
    assert.match(error.message, /"webgpu" backend cannot be used here/);
    assert.match(error.message, /allow_software_gpu/);
  });
});
