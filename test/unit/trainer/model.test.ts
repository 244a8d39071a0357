// In process on the wasm backend: only completion tokens count in the loss; the hand-written
// gradients equal autodiff's; cached generation equals full recomputation; the SIMD kernels
// compute what a plain loop computes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { selectBackend, type BackendHandle } from '../../../src/trainer/backend';
import { encodeExamples, makeTokenBatch } from '../../../src/trainer/data/batches';
import { readSftRecords } from '../../../src/trainer/data/records';
import { CharTokenizer } from '../../../src/trainer/data/tokenizer';
import { COLUMN_SUMS_KERNEL } from '../../../src/trainer/kernels/wasmKernels';
import { generateGreedy } from '../../../src/trainer/model/generate';
import type { Tensor, Tensor2D } from '../../../src/trainer/model/tf';
import { initialWeights, Transformer, type TransformerShape } from '../../../src/trainer/model/transformer';
import { learningRateAt } from '../../../src/trainer/train/schedule';
import { generatedSplits, writeJsonl } from './fixtures';

/** The reference: no cache, the whole sequence each step, one prompt at a time. */
async function naiveGreedy(backend: BackendHandle, model: Transformer, prompt: number[], maxNew: number, stopId: number): Promise<number[]> {
  const tf = backend.tf;
  const seq = [...prompt];
  const out: number[] = [];
  while (out.length < maxNew && seq.length < model.shape.contextLength) {
    const next = tf.tidy(() => {
      const h = model.hidden(Int32Array.from(seq), 1, seq.length);
      const last = tf.slice(h, [seq.length - 1, 0], [1, model.shape.dModel]) as Tensor2D;
      return tf.argMax(model.logits(last), 1);
    });
    const id = (await next.data())[0];
    next.dispose();
    out.push(id);
    seq.push(id);
    if (id === stopId) break;
  }
  return out;
}

describe('trainer: transformer on wasm (in process)', function () {
  this.timeout(60_000);
  let backend: BackendHandle;
  const dir = tempDir();
  const file = path.join(dir, 'train.jsonl');
  writeJsonl(file, generatedSplits({ train: 6 }).train);
  const records = readSftRecords(file, 'train');
  const tok = CharTokenizer.fromTexts(records.flatMap((r) => [r.prompt, r.completion]));
  const batch = makeTokenBatch(encodeExamples(records, tok, 200).examples, 200);
  const shape = { vocabSize: tok.vocabSize, layers: 1, dModel: 16, heads: 2, mlp: 32, contextLength: 200 };

  before(async () => {
    backend = await selectBackend('wasm', { allowSoftwareGpu: false, log: () => {} });
  });

  const lossOf = (model: Transformer, targets: Int32Array, inputs = batch.inputs) => {
    const t = model.loss(inputs, targets, batch.weights, batch.batch, batch.time);
    const v = t.dataSync()[0];
    t.dispose();
    return v;
  };

  it('ignores prompt tokens: changing their targets leaves the loss unchanged; changing completion targets does not', () => {
    const model = new Transformer(backend.tf, shape, initialWeights(shape, 3), { explicitTranspose: true });
    const base = lossOf(model, batch.targets);
    assert.ok(Number.isFinite(base) && base > 0);
    const promptChanged = batch.targets.map((t, i) => (batch.weights[i] === 0 ? (t + 7) % tok.vocabSize : t));
    assert.equal(lossOf(model, promptChanged), base);
    const completionChanged = batch.targets.map((t, i) => (batch.weights[i] === 1 && i % 3 === 0 ? (t + 7) % tok.vocabSize : t));
    assert.notEqual(lossOf(model, completionChanged), base);
    // An untrained model's loss is about ln(vocabulary).
    assert.ok(Math.abs(base - Math.log(tok.vocabSize)) < 0.5, `${base} vs ln ${tok.vocabSize}`);
    model.dispose();
  });

  it('the SIMD batched matmul and column sums equal plain loops, for every transpose and odd sizes', () => {
    const tf = backend.tf;
    assert.equal(backend.deviceInfo.simd_kernels, true);
    const rand = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 3);
    for (const [batch, m, k, n] of [[3, 5, 7, 9], [2, 16, 16, 24], [4, 13, 1, 6], [1, 9, 11, 5], [2, 1, 3, 1]]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const av = rand(batch * m * k);
          const bv = rand(batch * k * n).map((v) => v / 2);
          const a = tf.tensor3d(av, ta ? [batch, k, m] : [batch, m, k]);
          const b = tf.tensor3d(bv, tb ? [batch, n, k] : [batch, k, n]);
          const got = tf.matMul(a, b, ta, tb);
          const values = got.dataSync();
          assert.deepEqual(got.shape, [batch, m, n]);
          for (let z = 0; z < batch; z++) {
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < n; j++) {
                let want = 0;
                for (let p = 0; p < k; p++) want += av[z * m * k + (ta ? p * m + i : i * k + p)] * bv[z * k * n + (tb ? j * k + p : p * n + j)];
                const have = values[z * m * n + i * n + j];
                assert.ok(Math.abs(have - want) <= 1e-4 * (1 + Math.abs(want)), `[${batch},${m},${k},${n}] ta=${ta} tb=${tb} at ${z},${i},${j}: ${have} vs ${want}`);
              }
            }
          }
          tf.dispose([a, b, got]);
        }
      }
    }
    // Rank 4 (attention's [batch, heads, time, dh]) goes through the same kernel.
    const q = tf.tensor4d(rand(2 * 3 * 4 * 5), [2, 3, 4, 5]);
    const viaRank4 = tf.matMul(q, q, false, true).dataSync();
    const viaRank3 = tf.matMul(q.reshape([6, 4, 5]), q.reshape([6, 4, 5]), false, true).dataSync();
    assert.deepEqual(Array.from(viaRank4), Array.from(viaRank3));
    for (const [rows, cols] of [[7, 37], [1, 3], [300, 16]]) {
      const xv = rand(rows * cols);
      const x = tf.tensor2d(xv, [rows, cols]);
      const sums = (tf.engine().runKernel(COLUMN_SUMS_KERNEL, { x }, {}) as Tensor).dataSync();
      for (let j = 0; j < cols; j++) {
        let want = 0;
        for (let r = 0; r < rows; r++) want += xv[r * cols + j];
        assert.ok(Math.abs(sums[j] - want) < 1e-3, `column ${j} of [${rows},${cols}]`);
      }
      x.dispose();
    }
    tf.dispose(q);
  });

  it('the hand-written gradients (explicit transposes, layer norm, biases) equal autodiff of plain ops', () => {
    const tf = backend.tf;
    const fast = new Transformer(tf, shape, initialWeights(shape, 4), { explicitTranspose: true });
    const plain = new Transformer(tf, shape, initialWeights(shape, 4), { explicitTranspose: false, plainLayers: true });
    const gradsOf = (m: Transformer) => {
      const { value, grads } = tf.variableGrads(() => m.loss(batch.inputs, batch.targets, batch.weights, batch.batch, batch.time), [...m.variables.values()]);
      const byKey = new Map([...m.variables].map(([k, v]) => [k, grads[v.name].dataSync()]));
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
      return byKey;
    };
    const a = gradsOf(fast);
    const b = gradsOf(plain);
    for (const [name, ga] of a) {
      const gb = b.get(name)!;
      const scale = Math.max(1e-6, ...Array.from(gb, Math.abs));
      const worst = Math.max(...Array.from(ga, (v, i) => Math.abs(v - gb[i])));
      assert.ok(worst <= 1e-4 * scale + 1e-7, `${name}: max difference ${worst} (scale ${scale})`);
    }
    fast.dispose();
    plain.dispose();
  });

  it('warms up linearly, then decays by cosine to 10 % of the peak', () => {
    assert.equal(learningRateAt(0, 1, 10, 100), 0.1);
    assert.equal(learningRateAt(9, 1, 10, 100), 1);
    assert.equal(learningRateAt(10, 1, 10, 100), 1);
    assert.ok(Math.abs(learningRateAt(55, 1, 10, 100) - 0.55) < 1e-9);
    assert.ok(Math.abs(learningRateAt(100, 1, 10, 100) - 0.1) < 1e-9);
    assert.equal(learningRateAt(0, 2, 0, 10), 2);
  });

  it('the cached, batched generation equals full recomputation', async () => {
    const shape: TransformerShape = { vocabSize: 17, layers: 2, dModel: 16, heads: 2, mlp: 32, contextLength: 40 };
    // Large weights make the argmax decisive, so float rounding cannot flip a token.
    const weights = initialWeights(shape, 5);
    for (const [name, w] of weights) if (!/ln/.test(name)) w.values.forEach((v, i) => (w.values[i] = v * 60));
    const model = new Transformer(backend.tf, shape, weights, { explicitTranspose: backend.explicitTranspose });
    const prompts = [[4, 5, 6], [7, 8, 9, 10, 11, 12, 13], [14], [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]];
    const stopId = 2;
    const cached = await generateGreedy(backend.tf, model, prompts, { maxNewTokens: 12, stopId, batchSize: 3 });
    for (let i = 0; i < prompts.length; i++) {
      assert.deepEqual(cached[i], await naiveGreedy(backend, model, prompts[i], 12, stopId), `prompt ${i}`);
    }
    // The long prompt runs into the context length (40): 35 + 5 tokens.
    assert.equal(cached[3].length <= 5, true);
    const before = backend.tf.memory().numTensors;
    await generateGreedy(backend.tf, model, prompts, { maxNewTokens: 6, stopId, batchSize: 4 });
    assert.equal(backend.tf.memory().numTensors, before, 'no tensors leak');
    model.dispose();
  });
});
