// Recipe `observer_classifier`: predicts a trace's metadata label (label_field, e.g.
// "answer_correct" or "category") from the rendered trace text, with a bag of character and
// word n-grams and logistic regression (or a one-hidden-layer MLP). Same loop, metrics,
// checkpoints and events as the SFT recipe; predictions.jsonl holds the predicted labels.
import * as path from 'node:path';
import { selectBackend } from '../backend';
import type { ResolvedConfig } from '../config';
import { dataError } from '../errors';
import { emit, log } from '../events';
import type { Heartbeat } from '../heartbeat';
import { createRng } from '../../core/generate/prng';
import { makeLinear } from '../model/linear';
import type { NamedVariables, Scalar, Tensor2D, Tf } from '../model/tf';
import { TRAINER_FILES, type PredictionLine } from '../protocol';
import { BatchSampler } from '../data/batches';
import { densify, NgramFeaturizer, type SparseVector } from '../data/ngrams';
import { readSftRecords, type SftRecord } from '../data/records';
import { loadLatestCheckpoint } from '../train/checkpoint';
import { runTrainingLoop, type TrainingTask } from '../train/loop';
import { writeEnvironment } from '../environment';
import { saveModelFolder, writeJsonlAtomic } from '../train/output';
import { totalStepsFor } from './sft';

export const CLASSIFIER_FORMAT = 'tunix-ngram-classifier';
const EVAL_MAX_EXAMPLES = 4096;

/** The label of a record as a string ("true", "arithmetic"); undefined when the field is absent. */
export function labelOf(record: SftRecord, field: string): string | undefined {
  const value = record.metadata[field];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function requireLabels(records: SftRecord[], field: string, split: string): string[] {
  const missing = records.filter((r) => labelOf(r, field) === undefined);
  if (missing.length) {
    const lines = missing.slice(0, 5).map((r) => r.line).join(', ');
    throw dataError(`${missing.length} ${split} record(s) have no metadata.${field} (lines ${lines}${missing.length > 5 ? ', ...' : ''}). Every ${split} record needs the label; pick another label_field or filter the dataset.`);
  }
  return records.map((r) => labelOf(r, field)!);
}

class Classifier {
  readonly variables: NamedVariables = new Map();
  private readonly linear;

  constructor(
    private readonly tf: Tf,
    readonly inputs: number,
    readonly hidden: number,
    readonly classes: number,
    seed: number,
    explicitTranspose: boolean,
  ) {
    this.linear = makeLinear(tf, explicitTranspose);
    const rng = createRng(seed);
    const uniform = (n: number, limit: number) => Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * limit);
    const add = (name: string, shape: number[], values: Float32Array) =>
      this.variables.set(name, tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true, `classifier${Classifier.instances}/${name}`)));
    Classifier.instances++;
    if (hidden > 0) {
      // Glorot-uniform limits.
      add('w1', [inputs, hidden], uniform(inputs * hidden, Math.sqrt(6 / (inputs + hidden))));
      add('b1', [hidden], new Float32Array(hidden));
      add('w2', [hidden, classes], uniform(hidden * classes, Math.sqrt(6 / (hidden + classes))));
      add('b2', [classes], new Float32Array(classes));
    } else {
      add('w', [inputs, classes], new Float32Array(inputs * classes));
      add('b', [classes], new Float32Array(classes));
    }
  }

  private static instances = 0;

  static decays(name: string): boolean {
    return name.startsWith('w');
  }

  logits(x: Tensor2D): Tensor2D {
    const tf = this.tf;
    const v = (n: string) => this.variables.get(n)! as unknown as Tensor2D;
    if (this.hidden > 0) {
      const h = tf.relu(tf.add(this.linear(x, v('w1')), v('b1'))) as Tensor2D;
      return tf.add(this.linear(h, v('w2')), v('b2')) as Tensor2D;
    }
    return tf.add(this.linear(x, v('w')), v('b')) as Tensor2D;
  }

  /** Mean cross-entropy of rows `x` against class ids `y`. */
  loss(x: Float32Array, y: Int32Array): Scalar {
    const tf = this.tf;
    const rows = y.length;
    const logp = tf.logSoftmax(this.logits(tf.tensor2d(x, [rows, this.inputs])));
    return tf.neg(tf.mean(tf.sum(tf.mul(logp, tf.oneHot(tf.tensor1d(y, 'int32'), this.classes)), 1))) as Scalar;
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
  }
}

export async function runObserver(config: ResolvedConfig, heartbeat: Heartbeat): Promise<void> {
  const field = config.label_field!;
  const train = readSftRecords(config.files.train, 'train');
  const val = config.files.val ? readSftRecords(config.files.val, 'val') : [];
  const test = config.files.test ? readSftRecords(config.files.test, 'test') : [];
  const trainLabels = requireLabels(train, field, 'train');
  const valLabels = requireLabels(val, field, 'val');
  log(`data: ${train.length} train, ${val.length} val, ${test.length} test records; label metadata.${field}`);

  const resumeFrom = config.resume ? loadLatestCheckpoint(config.runDir, (m) => log(m)) : undefined;
  if (resumeFrom && resumeFrom.state.recipe !== 'observer_classifier') {
    throw dataError(`The latest checkpoint was written by the ${resumeFrom.state.recipe} recipe, not observer_classifier; start a new run.`);
  }
  const labels = resumeFrom ? (resumeFrom.files['labels.json'] as { labels: string[] }).labels : [...new Set(trainLabels)].sort();
  if (labels.length < 2) {
    throw dataError(`The train split has only one value of metadata.${field} ("${labels[0]}"); a classifier needs at least two. Pick another label_field or add examples of the other labels.`);
  }
  const featurizer = resumeFrom
    ? NgramFeaturizer.fromJson(resumeFrom.files['features.json'])
    : NgramFeaturizer.fit(
        train.map((r) => r.text),
        { charNgrams: config.classifier.char_ngrams, wordNgrams: config.classifier.word_ngrams, maxFeatures: config.classifier.max_features },
      );
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const unknownVal = valLabels.filter((l) => !labelIndex.has(l));
  if (unknownVal.length) log(`${unknownVal.length} val record(s) have labels never seen in train (e.g. "${unknownVal[0]}"); they are left out of eval`);
  const trainX = train.map((r) => featurizer.transform(r.text));
  const trainY = trainLabels.map((l) => labelIndex.get(l)!);
  const valRows = val.map((r, i) => ({ x: featurizer.transform(r.text), y: labelIndex.get(valLabels[i]) })).filter((r) => r.y !== undefined).slice(0, EVAL_MAX_EXAMPLES);
  const totalSteps = totalStepsFor(config, train.length);

  const backend = await selectBackend(config.backend, { allowSoftwareGpu: config.allow_software_gpu, log: (m) => log(m) });
  const tf = backend.tf;
  writeEnvironment(config.runDir, backend);
  const hidden = resumeFrom ? (resumeFrom.files['model.json'] as { hidden: number }).hidden : config.classifier.hidden;
  const model = new Classifier(tf, featurizer.size, hidden, labels.length, config.seed, backend.explicitTranspose);
  const modelJson = { format: CLASSIFIER_FORMAT, version: 1, inputs: featurizer.size, hidden, classes: labels.length, label_field: field };
  log(`backend ${backend.name} (${backend.device}); ${featurizer.size} n-gram features, ${labels.length} labels (${labels.join(', ')}), ${hidden ? `MLP with ${hidden} hidden units` : 'logistic regression'}`);
  const sampler = new BatchSampler(train.length, config.training.batch_size, config.seed);

  const batchOf = (rows: SparseVector[], ys: number[]) => ({ x: densify(rows, featurizer.size), y: Int32Array.from(ys) });
  const task: TrainingTask = {
    recipe: 'observer_classifier',
    variables: model.variables,
    decays: Classifier.decays,
    totalSteps,
    epochAt: (s) => sampler.epochAt(s),
    step: (s) => {
      const idx = sampler.indicesForStep(s);
      const b = batchOf(idx.map((i) => trainX[i]), idx.map((i) => trainY[i]));
      return { loss: () => model.loss(b.x, b.y), tokens: idx.length, examples: idx.length };
    },
    evaluate: valRows.length
      ? async (tick) => {
          let lossSum = 0;
          let right = 0;
          for (let i = 0; i < valRows.length; i += 256) {
            const chunk = valRows.slice(i, i + 256);
            const b = batchOf(chunk.map((r) => r.x), chunk.map((r) => r.y!));
            const [loss, predicted] = tf.tidy(() => [model.loss(b.x, b.y), tf.argMax(model.logits(tf.tensor2d(b.x, [chunk.length, featurizer.size])), 1)]);
            lossSum += (await loss.data())[0] * chunk.length;
            const p = await predicted.data();
            chunk.forEach((r, k) => (right += p[k] === r.y ? 1 : 0));
            loss.dispose();
            predicted.dispose();
            await tick();
          }
          return { eval_loss: lossSum / valRows.length, eval_accuracy: right / valRows.length };
        }
      : undefined,
    checkpointFiles: () => ({ 'features.json': featurizer.toJson(), 'labels.json': { labels }, 'model.json': modelJson }),
  };

  const result = await runTrainingLoop({ tf, config, heartbeat, backend, resumeFrom }, task);
  await saveModelFolder(config.runDir, model.variables, {
    'features.json': featurizer.toJson(),
    'labels.json': { labels },
    'config.json': { ...modelJson, weights: 'weights.json', trained: { run_id: config.run_id, steps: result.step, final_loss: result.lastLoss, eval: result.lastEval, backend: backend.name, seed: config.seed } },
  });

  const predictions: PredictionLine[] = [];
  for (let i = 0; i < test.length; i += 256) {
    const chunk = test.slice(i, i + 256);
    const x = densify(chunk.map((r) => featurizer.transform(r.text)), featurizer.size);
    const probs = tf.tidy(() => tf.softmax(model.logits(tf.tensor2d(x, [chunk.length, featurizer.size]))));
    const values = (await probs.data()) as Float32Array;
    probs.dispose();
    chunk.forEach((r, k) => {
      const row = values.subarray(k * labels.length, (k + 1) * labels.length);
      let best = 0;
      for (let c = 1; c < labels.length; c++) if (row[c] > row[best]) best = c;
      const line: PredictionLine = { id: r.id, prediction: labels[best], probabilities: Object.fromEntries(labels.map((l, c) => [l, Math.round(row[c] * 1e6) / 1e6])) };
      const expected = labelOf(r, field);
      if (expected !== undefined) line.expected = expected;
      predictions.push(line);
    });
    heartbeat.tick(result.step);
  }
  writeJsonlAtomic(path.join(config.runDir, TRAINER_FILES.predictions), predictions);
  const scored = predictions.filter((p) => p.expected !== undefined);
  if (scored.length) log(`test labels: ${scored.filter((p) => p.prediction === p.expected).length}/${scored.length} right`);
  model.dispose();
  emit({ event: 'completed', step: result.step, predictions: TRAINER_FILES.predictions });
}
