// The transformer's loss, in process on the wasm backend: only completion tokens count, and
// the explicit-transpose gradients equal tfjs's own.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { selectBackend, type BackendHandle } from '../../../src/trainer/backend';
import { encodeExamples, makeTokenBatch } from '../../../src/trainer/data/batches';
import { readSftRecords } from '../../../src/trainer/data/records';
import { CharTokenizer } from '../../../src/trainer/data/tokenizer';
import { initialWeights, Transformer } from '../../../src/trainer/model/transformer';
import { learningRateAt } from '../../../src/trainer/train/schedule';
import { generatedSplits, writeJsonl } from './fixtures';

describe('trainer: transformer loss and gradients', function () {
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

  it('explicit-transpose matmul gradients equal the built-in ones', () => {
    const tf = backend.tf;
    const fast = new Transformer(tf, shape, initialWeights(shape, 4), { explicitTranspose: true });
    const plain = new Transformer(tf, shape, initialWeights(shape, 4), { explicitTranspose: false });
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
});
