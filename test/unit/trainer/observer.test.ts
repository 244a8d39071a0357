// Recipe observer_classifier: n-gram features + logistic regression (or an MLP) learn a label
// that the text determines, through the same process contract as the SFT recipe.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { NgramFeaturizer, ngramCounts } from '../../../src/trainer/data/ngrams';
import { generatedSplits, writeRun } from './fixtures';
import { readJsonLines, runTrainer, tinyTraining } from './runTrainer';

describe('trainer: observer_classifier', function () {
  this.timeout(120_000);
  const splits = generatedSplits({ train: 320, val: 40, test: 60 }, { task: 'mixed' });

  it('n-grams: character and word n-grams of the lower-cased text, L2-normalised', () => {
    const counts = ngramCounts('Ab ab', [2, 2], [1, 1]);
    assert.equal(counts.get('c:ab'), 2);
    assert.equal(counts.get('c:b '), 1);
    assert.equal(counts.get('w:ab'), 2);
    const f = NgramFeaturizer.fit(['ab cd', 'ab ef'], { charNgrams: [1, 2], wordNgrams: [1, 1], maxFeatures: 5 });
    assert.equal(f.size, 5);
    const v = f.transform('ab cd');
    assert.ok(Math.abs(Math.hypot(...v.values) - 1) < 1e-6);
    assert.deepEqual(NgramFeaturizer.fromJson(JSON.parse(JSON.stringify(f.toJson()))).transform('ab cd'), v);
  });

  for (const hidden of [0, 16]) {
    it(`learns the task type from the trace text (${hidden ? 'MLP' : 'logistic regression'})`, async () => {
      const dir = tempDir();
      writeRun(dir, splits, {
        recipe: 'observer_classifier',
        label_field: 'task_type',
        classifier: { max_features: 2048, hidden },
        training: tinyTraining({ steps: 60, batch_size: 32, learning_rate: 0.05, eval_interval: 30, checkpoint_interval: 30, log_interval: 10 }),
      });
      const r = await runTrainer([dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.strayStdout, []);
      assert.equal(r.events.find((e) => e.event === 'started')?.recipe, 'observer_classifier');
      const lines = readJsonLines(path.join(dir, 'metrics.jsonl'));
      const train = lines.filter((l) => 'loss' in l);
      assert.ok(train.at(-1).loss < train[0].loss / 2, `loss ${train[0].loss} -> ${train.at(-1).loss}`);
      const evals = lines.filter((l) => 'eval_loss' in l);
      assert.deepEqual(evals.map((e) => e.step), [30, 60]);
      assert.ok(evals[1].eval_accuracy >= 0.9, `eval accuracy ${evals[1].eval_accuracy}`);
      const predictions = readJsonLines(path.join(dir, 'predictions.jsonl'));
      assert.equal(predictions.length, splits.test.length);
      const right = predictions.filter((p, i) => p.prediction === splits.test[i].metadata.task_type).length;
      assert.ok(right / predictions.length >= 0.9, `test accuracy ${right}/${predictions.length}`);
      const p = predictions[0];
      assert.ok(Math.abs(Object.values(p.probabilities as Record<string, number>).reduce((a, b) => a + b, 0) - 1) < 1e-3);
      assert.equal(p.expected, splits.test[0].metadata.task_type);
      for (const f of ['weights.json', 'weights.bin', 'features.json', 'labels.json', 'config.json']) assert.ok(fs.existsSync(path.join(dir, 'model', f)), f);
    });
  }

  it('a missing label or a single label value is a data error naming the field', async () => {
    const dir = tempDir();
    const train = splits.train.slice(0, 10).map((l, i) => (i === 3 ? { ...l, metadata: {} } : l));
    writeRun(dir, { train }, { recipe: 'observer_classifier', label_field: 'task_type' });
    const r = await runTrainer([dir]);
    assert.equal(r.code, 2);
    const error = r.events.find((e) => e.event === 'error')!;
    assert.equal(error.kind, 'data');
    assert.match(error.message, /1 train record\(s\) have no metadata\.task_type \(lines 4\)/);
    const single = tempDir();
    writeRun(single, { train: splits.train.slice(0, 10) }, { recipe: 'observer_classifier', label_field: 'format' });
    const s = await runTrainer([single]);
    assert.equal(s.code, 2);
    assert.match(s.events.find((e) => e.event === 'error')!.message, /only one value of metadata\.format \("tunix_sft"\)/);
  });
});
