// The training loop shared by the recipes: AdamW with warmup + cosine decay and gradient
// clipping, one whole step inside tf.tidy (the tensor count stays flat), metrics lines and
// progress events every log_interval, eval at eval_interval, checkpoints at
// checkpoint_interval and at the end, resume from a checkpoint at the same step.
import * as path from 'node:path';
import type { ResolvedConfig } from '../config';
import { TrainerError } from '../errors';
import { emit, log } from '../events';
import type { Heartbeat } from '../heartbeat';
import type { NamedVariables, Scalar, Tensor, Tf, Variable } from '../model/tf';
import { TRAINER_FILES, type EvalMetricsLine, type TrainMetricsLine } from '../protocol';
import { AdamW } from './adamw';
import { saveCheckpoint, type CheckpointState, type LoadedCheckpoint } from './checkpoint';
import { MetricsFile } from './metricsFile';
import { learningRateAt } from './schedule';
import { toHost } from './tensorFile';
import type { RemoteGradients } from '../parallel/pool';

export interface StepWork {
  /** Builds the loss (of this thread's share of the batch); runs inside tf.variableGrads inside tf.tidy. */
  loss: () => Scalar;
  /** Non-padding tokens in the whole batch (examples for the classifier). */
  tokens: number;
  examples: number;
  /** The rest of the batch's gradients, computed by other threads meanwhile (data parallel). */
  remote?: Promise<RemoteGradients>;
}

export interface EvalResult {
  eval_loss: number;
  eval_accuracy?: number;
}

export interface TrainingTask {
  recipe: string;
  variables: NamedVariables;
  decays: (name: string) => boolean;
  totalSteps: number;
  epochAt: (step: number) => number;
  step: (step: number) => StepWork;
  /** Loss on the val split; undefined when there is none. Calls `tick` between batches. */
  evaluate?: (tick: () => Promise<void>) => Promise<EvalResult | undefined>;
  /** JSON files stored in every checkpoint (tokenizer, model config). */
  checkpointFiles: () => Record<string, unknown>;
}

export interface LoopContext {
  tf: Tf;
  config: ResolvedConfig;
  heartbeat: Heartbeat;
  backend: { name: string; device: string; versions: Record<string, string> };
  resumeFrom?: LoadedCheckpoint;
}

export interface LoopResult {
  step: number;
  lastLoss?: number;
  lastEval?: EvalResult;
  elapsedSeconds: number;
}

/** Lets timers, signals and the heartbeat thread's bookkeeping run between steps. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const ADAM = { beta1: 0.9, beta2: 0.98, epsilon: 1e-8 };

export async function runTrainingLoop(ctx: LoopContext, task: TrainingTask): Promise<LoopResult> {
  const { tf, config, heartbeat } = ctx;
  const t = config.training;
  const total = task.totalSteps;
  const metrics = new MetricsFile(path.join(config.runDir, TRAINER_FILES.metrics));
  const optimizer = new AdamW(tf, task.variables, { ...ADAM, weightDecay: t.weight_decay, clipNorm: t.grad_clip, decays: task.decays });
  // tfjs keys gradients by variable name; map them back to our parameter names.
  const varList = [...task.variables.values()];
  const keyOfVariable = new Map([...task.variables].map(([key, v]) => [v.name, key]));

  let startStep = 0;
  let elapsedBefore = 0;
  const resume = ctx.resumeFrom;
  if (resume) {
    restore(tf, task.variables, resume.weights, 'weights');
    restore(tf, optimizer.stateTensors(), resume.optimizer, 'optimizer state');
    startStep = resume.state.step;
    elapsedBefore = resume.state.elapsed_seconds;
    const { dropped } = metrics.truncateAfter(startStep);
    log(`resumed from ${path.relative(config.runDir, resume.dir)} at step ${startStep}${dropped ? `; dropped ${dropped} metrics line(s) after it` : ''}`);
  } else if (config.resume) {
    // Asked to resume but nothing was saved yet: start over, with a clean metrics file.
    metrics.truncateAfter(0);
    log('resume requested but no checkpoint exists yet; starting from step 0');
  } else {
    metrics.truncateAfter(-1);
  }

  emit({
    event: 'started',
    backend: ctx.backend.name,
    device: ctx.backend.device,
    versions: ctx.backend.versions,
    total_steps: total,
    recipe: task.recipe,
    ...(resume ? { resumed_from_step: startStep } : {}),
  });
  heartbeat.tick(startStep);

  const started = performance.now();
  const elapsed = () => elapsedBefore + (performance.now() - started) / 1000;
  let intervalStart = performance.now();
  let pausedInInterval = 0;
  let intervalTokens = 0;
  let intervalExamples = 0;
  let pendingLosses: Scalar[] = [];
  let lastNorm: Scalar | undefined;
  let lastLoss: number | undefined;
  let lastEval: EvalResult | undefined;
  let lastEvalStep = -1;
  let lastCheckpointStep = resume ? startStep : -1;

  const tick = async (step: number) => {
    heartbeat.tick(step);
    await yieldToEventLoop();
  };

  const runEval = async (step: number) => {
    if (!task.evaluate) return;
    const pauseStart = performance.now();
    const result = await task.evaluate(() => tick(step));
    pausedInInterval += performance.now() - pauseStart;
    lastEvalStep = step;
    if (!result) return;
    lastEval = result;
    const line: EvalMetricsLine = { step, epoch: round(task.epochAt(step), 4), eval_loss: round(result.eval_loss, 6), timestamp: new Date().toISOString() };
    if (result.eval_accuracy !== undefined) line.eval_accuracy = round(result.eval_accuracy, 6);
    metrics.append(line);
    emit({ event: 'eval', step, eval_loss: line.eval_loss, ...(line.eval_accuracy !== undefined ? { eval_accuracy: line.eval_accuracy } : {}) });
  };

  const checkpoint = async (step: number) => {
    const pauseStart = performance.now();
    const state: CheckpointState = {
      format: 'tunix-checkpoint',
      version: 1,
      recipe: task.recipe,
      step,
      total_steps: total,
      epoch: task.epochAt(step),
      elapsed_seconds: elapsed(),
      rng: { seed: config.seed, sampler: 'epoch-shuffle', next_example_position: step * t.batch_size },
      timestamp: new Date().toISOString(),
    };
    const relative = saveCheckpoint(
      config.runDir,
      { state, weights: await toHost(task.variables), optimizer: await toHost(optimizer.stateTensors()), files: task.checkpointFiles() },
      config.keep_checkpoints,
    );
    lastCheckpointStep = step;
    pausedInInterval += performance.now() - pauseStart;
    emit({ event: 'checkpoint', step, path: relative });
  };

  for (let step = startStep; step < total; step++) {
    const lr = learningRateAt(step, t.learning_rate, t.warmup_steps, total);
    const work = task.step(step);
    let loss: Scalar;
    let norm: Scalar;
    if (!work.remote) {
      [loss, norm] = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(work.loss, varList);
        const byKey: Record<string, Tensor> = {};
        for (const [name, g] of Object.entries(grads)) byKey[keyOfVariable.get(name) ?? name] = g;
        return [value, optimizer.apply(byKey, step + 1, lr)] as [Scalar, Scalar];
      });
    } else {
      // This thread's shard while the workers do theirs; then the sum, then one update.
      const local = tf.tidy(() => tf.variableGrads(work.loss, varList));
      const remote = await work.remote;
      [loss, norm] = tf.tidy(() => {
        const byKey: Record<string, Tensor> = {};
        for (const [name, g] of Object.entries(local.grads)) {
          const key = keyOfVariable.get(name) ?? name;
          const extra = remote.grads.get(key);
          byKey[key] = extra ? tf.add(g, tf.tensor(extra, g.shape, 'float32')) : g;
        }
        return [tf.add(local.value, remote.lossSum), optimizer.apply(byKey, step + 1, lr)] as [Scalar, Scalar];
      });
      tf.dispose([local.value, ...Object.values(local.grads)]);
    }
    pendingLosses.push(loss);
    lastNorm?.dispose();
    lastNorm = norm;
    intervalTokens += work.tokens;
    intervalExamples += work.examples;
    const done = step + 1;
    heartbeat.tick(done);

    if (done % t.log_interval === 0 || done === total) {
      const stacked = tf.stack(pendingLosses);
      const losses = (await stacked.data()) as Float32Array;
      stacked.dispose();
      const gradNorm = (await norm.data())[0];
      for (const l of pendingLosses) l.dispose();
      pendingLosses = [];
      const meanLoss = losses.reduce((a, b) => a + b, 0) / losses.length;
      if (!Number.isFinite(meanLoss)) {
        throw new TrainerError('internal', `The loss became ${meanLoss} by step ${done}. Lower training.learning_rate (now ${t.learning_rate}) or training.grad_clip, and start again.`);
      }
      lastLoss = meanLoss;
      const seconds = Math.max(1e-6, (performance.now() - intervalStart - pausedInInterval) / 1000);
      const mem = tf.memory();
      const line: TrainMetricsLine = {
        step: done,
        epoch: round(task.epochAt(done), 4),
        loss: round(meanLoss, 6),
        learning_rate: lr,
        grad_norm: round(gradNorm, 6),
        tokens_per_second: round(intervalTokens / seconds, 1),
        examples_per_second: round(intervalExamples / seconds, 2),
        elapsed: round(elapsed(), 3),
        memory: { rss: process.memoryUsage().rss, tensors: mem.numTensors, bytes: mem.numBytes },
        timestamp: new Date().toISOString(),
      };
      metrics.append(line);
      const perStep = (performance.now() - started) / 1000 / (done - startStep);
      emit({ event: 'progress', step: done, total_steps: total, loss: line.loss, eta_seconds: Math.round(perStep * (total - done)) });
      intervalStart = performance.now();
      pausedInInterval = 0;
      intervalTokens = 0;
      intervalExamples = 0;
    }
    if (done % t.eval_interval === 0 && done !== total) await runEval(done);
    if (done % t.checkpoint_interval === 0 && done !== total) await checkpoint(done);
    await tick(done);
  }
  for (const l of pendingLosses) l.dispose();
  lastNorm?.dispose();
  if (lastEvalStep !== total && total > startStep) await runEval(total);
  if (lastCheckpointStep !== total) await checkpoint(total);
  optimizer.dispose();
  return { step: total, lastLoss, lastEval, elapsedSeconds: elapsed() };
}

function restore(tf: Tf, target: Map<string, Variable>, values: Map<string, { shape: number[]; values: Float32Array }>, what: string): void {
  for (const [name, variable] of target) {
    const saved = values.get(name);
    if (!saved) throw new TrainerError('data', `The checkpoint's ${what} lack "${name}"; it was written by a different model. Start a new run instead of resuming.`);
    if (saved.shape.join('x') !== variable.shape.join('x')) {
      throw new TrainerError('data', `The checkpoint's ${what} "${name}" has shape [${saved.shape}] but the model needs [${variable.shape}]; the model config changed since it was written. Start a new run instead of resuming.`);
    }
    tf.tidy(() => variable.assign(tf.tensor(saved.values, saved.shape, 'float32')));
  }
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
