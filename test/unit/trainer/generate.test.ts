// Greedy generation with the key/value cache must produce exactly what re-running the whole
// sequence produces, for prompts of different lengths in one batch.
import * as assert from 'node:assert/strict';
import { selectBackend, type BackendHandle } from '../../../src/trainer/backend';
import { generateGreedy } from '../../../src/trainer/model/generate';
import { initialWeights, Transformer, type TransformerShape } from '../../../src/trainer/model/transformer';
import type { Tensor2D } from '../../../src/trainer/model/tf';

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

describe('trainer: greedy generation', function () {
  this.timeout(60_000);
  let backend: BackendHandle;
  before(async () => {
    backend = await selectBackend('wasm', { allowSoftwareGpu: false, log: () => {} });
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
