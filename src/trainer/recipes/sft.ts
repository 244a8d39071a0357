// Recipe `sft_transformer`: supervised fine-tuning of a small character-level transformer on
// tunix_sft text, loss on the model turn only; at the end the model is saved under model/ and
// greedy generation on the test split writes predictions.jsonl.
import * as path from 'node:path';
import { GradientPool } from '../parallel/pool';
import { splitEvenly, threadsFor } from '../parallel/sharding';
import { selectBackend } from '../backend';
import type { ResolvedConfig } from '../config';
import { dataError } from '../errors';
import { emit, log } from '../events';
import type { Heartbeat } from '../heartbeat';
import { generateGreedy } from '../model/generate';
import { initialWeights, Transformer, type TransformerShape } from '../model/transformer';
import { TRAINER_FILES, type PredictionLine } from '../protocol';
import { BatchSampler, encodeExamples, makeTokenBatch } from '../data/batches';
import { readSftRecords, MODEL_TURN, type SftRecord } from '../data/records';
import { CharTokenizer, END_OF_TURN } from '../data/tokenizer';
import { loadLatestCheckpoint } from '../train/checkpoint';
import { runTrainingLoop, type TrainingTask } from '../train/loop';
import { writeEnvironment } from '../environment';
import { saveModelFolder, writeJsonlAtomic } from '../train/output';

/** Val examples used for eval loss (the first ones, so every eval sees the same set). */
export const EVAL_MAX_EXAMPLES = 512;
export const MODEL_FORMAT = 'tunix-transformer';

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  version: 1;
  architecture: string;
  shape: TransformerShape;
  template: { model_turn: string; stop: string };
}

export function totalStepsFor(config: ResolvedConfig, trainSize: number): number {
  return config.training.steps ?? Math.max(1, Math.ceil(((config.training.epochs ?? 1) * trainSize) / config.training.batch_size));
}

/** The answer inside a generated model turn: the text after the last "Answer:". */
export function extractAnswer(generation: string): string {
  const text = generation.split(END_OF_TURN)[0];
  const at = text.lastIndexOf('Answer:');
  return (at >= 0 ? text.slice(at + 'Answer:'.length) : text).trim();
}

export async function runSft(config: ResolvedConfig, heartbeat: Heartbeat): Promise<void> {
  const train = readSftRecords(config.files.train, 'train');
  const val = config.files.val ? readSftRecords(config.files.val, 'val') : [];
  const test = config.files.test ? readSftRecords(config.files.test, 'test') : [];
  log(`data: ${train.length} train, ${val.length} val, ${test.length} test records`);

  const resumeFrom = config.resume ? loadLatestCheckpoint(config.runDir, (m) => log(m)) : undefined;
  if (resumeFrom && resumeFrom.state.recipe !== 'sft_transformer') {
    throw dataError(`The latest checkpoint was written by the ${resumeFrom.state.recipe} recipe, not sft_transformer; start a new run.`);
  }
  const tokenizer = resumeFrom
    ? CharTokenizer.fromJson(resumeFrom.files['tokenizer.json'], `${resumeFrom.dir}/tokenizer.json`)
    : CharTokenizer.fromTexts(train.flatMap((r) => [r.prompt, r.completion]));
  const C = config.model.context_length;
  const trainData = encodeExamples(train, tokenizer, C);
  if (trainData.truncated) log(`${trainData.truncated} of ${train.length} train examples are longer than context_length ${C} and were truncated; raise model.context_length to keep them whole`);
  const valData = encodeExamples(val.slice(0, EVAL_MAX_EXAMPLES), tokenizer, C);
  const shape: TransformerShape = {
    vocabSize: tokenizer.vocabSize,
    layers: config.model.layers,
    dModel: config.model.d_model,
    heads: config.model.heads,
    mlp: config.model.mlp,
    contextLength: C,
  };
  const modelJson: ModelJson = {
    format: MODEL_FORMAT,
    version: 1,
    architecture: 'decoder-only transformer: pre-layer-norm, learned positions, causal multi-head attention, GELU MLP',
    shape,
    template: { model_turn: MODEL_TURN, stop: END_OF_TURN },
  };
  if (resumeFrom) {
    const saved = (resumeFrom.files['model.json'] as ModelJson | undefined)?.shape;
    if (saved && JSON.stringify(saved) !== JSON.stringify(shape)) {
      throw dataError(`The checkpoint's model shape ${JSON.stringify(saved)} differs from the config's ${JSON.stringify(shape)}; resume with the original model settings or start a new run.`);
    }
  }
  const totalSteps = totalStepsFor(config, train.length);

  const backend = await selectBackend(config.backend, { allowSoftwareGpu: config.allow_software_gpu, log: (m) => log(m) });
  const tf = backend.tf;
  log(`backend ${backend.name} (${backend.device}); tfjs ${backend.versions.tfjs}`);

  const model = new Transformer(tf, shape, initialWeights(shape, config.seed), { explicitTranspose: backend.explicitTranspose });
  log(`model: ${model.parameterCount.toLocaleString('en-US')} parameters, vocabulary ${tokenizer.vocabSize}, ${totalSteps} steps of ${config.training.batch_size}`);
  const sampler = new BatchSampler(trainData.examples.length, config.training.batch_size, config.seed);
  const meanTokens = trainData.examples.reduce((n, e) => n + e.tokens.length, 0) / trainData.examples.length;
  const threads = threadsFor(config, backend.name, 6 * model.parameterCount * config.training.batch_size * meanTokens);
  backend.threads = threads;
  writeEnvironment(config.runDir, backend);
  // Workers run this same bundle (see main.ts).
  const pool = threads > 1 ? await GradientPool.start(threads - 1, __filename, backend.name as 'wasm' | 'cpu', shape, model.variables, trainData.examples) : undefined;
  if (pool) log(`data parallel: ${threads} threads, each with its own ${backend.name} backend`);

  const task: TrainingTask = {
    recipe: 'sft_transformer',
    variables: model.variables,
    decays: Transformer.decays,
    totalSteps,
    epochAt: (s) => sampler.epochAt(s),
    step: (s) => {
      const indices = sampler.indicesForStep(s);
      const examples = indices.map((i) => trainData.examples[i]);
      if (!pool) {
        const batch = makeTokenBatch(examples, C);
        return { loss: () => model.loss(batch.inputs, batch.targets, batch.weights, batch.batch, batch.time), tokens: batch.tokenCount, examples: batch.batch };
      }
      // Shard 0 here, the others on the workers; every shard divides by the whole batch's target count.
      const shards = splitEvenly(indices, pool.size + 1);
      const normalizer = examples.reduce((n, e) => n + e.tokens.length - e.promptLength, 0);
      const remote = pool.compute(model.variables, shards.slice(1).map((ix) => ({ indices: ix, normalizer })));
      const mine = makeTokenBatch(shards[0].map((i) => trainData.examples[i]), C);
      return {
        loss: () => model.loss(mine.inputs, mine.targets, mine.weights, mine.batch, mine.time, normalizer),
        tokens: examples.reduce((n, e) => n + e.tokens.length - 1, 0),
        examples: examples.length,
        remote,
      };
    },
    evaluate: valData.examples.length
      ? async (tick) => {
          let weighted = 0;
          let count = 0;
          const size = config.training.batch_size;
          for (let i = 0; i < valData.examples.length; i += size) {
            const batch = makeTokenBatch(valData.examples.slice(i, i + size), C);
            if (!batch.targetCount) continue;
            const loss = tf.tidy(() => model.loss(batch.inputs, batch.targets, batch.weights, batch.batch, batch.time));
            weighted += (await loss.data())[0] * batch.targetCount;
            loss.dispose();
            count += batch.targetCount;
            await tick();
          }
          return count ? { eval_loss: weighted / count } : undefined;
        }
      : undefined,
    checkpointFiles: () => ({ 'tokenizer.json': tokenizer.toJson(), 'model.json': modelJson }),
  };

  let result;
  try {
    result = await runTrainingLoop({ tf, config, heartbeat, backend, resumeFrom }, task);
  } finally {
    await pool?.close();
  }

  await saveModelFolder(config.runDir, model.variables, {
    'tokenizer.json': tokenizer.toJson(),
    'config.json': {
      ...modelJson,
      tokenizer: 'tokenizer.json',
      weights: 'weights.json',
      trained: { run_id: config.run_id, steps: result.step, final_loss: result.lastLoss, eval_loss: result.lastEval?.eval_loss, backend: backend.name, seed: config.seed },
    },
  });

  const predictions = await predict(tf, model, tokenizer, test, config, () => heartbeat.tick(result.step));
  writeJsonlAtomic(path.join(config.runDir, TRAINER_FILES.predictions), predictions);
  const scored = predictions.filter((p) => p.expected !== undefined);
  if (scored.length) {
    const right = scored.filter((p) => p.prediction.trim().toLowerCase() === p.expected!.trim().toLowerCase()).length;
    log(`test answers: ${right}/${scored.length} exact (${((100 * right) / scored.length).toFixed(1)} %)`);
  } else if (!test.length) {
    log('no test split: predictions.jsonl is empty');
  }
  model.dispose();
  emit({ event: 'completed', step: result.step, predictions: TRAINER_FILES.predictions });
}

async function predict(
  tf: import('../model/tf').Tf,
  model: Transformer,
  tokenizer: CharTokenizer,
  test: SftRecord[],
  config: ResolvedConfig,
  tick: () => void,
): Promise<PredictionLine[]> {
  if (!test.length) return [];
  const started = performance.now();
  const outputs = await generateGreedy(
    tf,
    model,
    test.map((r) => tokenizer.encode(r.prompt)),
    {
      maxNewTokens: config.generation.max_new_tokens,
      stopId: tokenizer.endOfTurnId,
      batchSize: Math.min(256, Math.max(16, config.training.batch_size * 2)),
      tick: async () => {
        tick();
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
    },
  );
  const tokens = outputs.reduce((n, o) => n + o.length, 0);
  log(`generated ${tokens} tokens for ${test.length} test prompts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return test.map((r, i) => {
    const generation = tokenizer.decode(outputs[i]).split(END_OF_TURN)[0];
    const line: PredictionLine = { id: r.id, prediction: extractAnswer(generation), generation };
    if (r.finalAnswer !== undefined) line.expected = r.finalAnswer;
    return line;
  });
}
