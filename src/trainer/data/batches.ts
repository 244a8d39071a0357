// Turns SFT records into token sequences and deterministic batches. The batch of step s is a
// pure function of (seed, s): example positions s*B .. s*B+B-1 in an endless stream of
// per-epoch shuffles. A resumed run therefore sees exactly the batches it would have seen.
import { createRng } from '../../core/generate/prng';
import type { CharTokenizer } from './tokenizer';
import type { SftRecord } from './records';

export interface EncodedExample {
  tokens: Int32Array;
  /** Tokens of the prompt part (masked out of the loss). */
  promptLength: number;
}

export interface EncodeResult {
  examples: EncodedExample[];
  /** Examples cut to fit the context (prompt start first, then completion end). */
  truncated: number;
}

/** Encodes prompt + completion; a sequence of C+1 tokens gives C next-token predictions. */
export function encodeExamples(records: readonly SftRecord[], tokenizer: CharTokenizer, contextLength: number): EncodeResult {
  let truncated = 0;
  const examples = records.map((r) => {
    let prompt = tokenizer.encode(r.prompt);
    let completion = tokenizer.encode(r.completion);
    const excess = prompt.length + completion.length - (contextLength + 1);
    if (excess > 0) {
      truncated++;
      const fromPrompt = Math.min(excess, prompt.length - 1);
      prompt = prompt.slice(fromPrompt);
      if (excess > fromPrompt) completion = completion.slice(0, completion.length - (excess - fromPrompt));
    }
    const tokens = new Int32Array(prompt.length + completion.length);
    tokens.set(prompt, 0);
    tokens.set(completion, prompt.length);
    return { tokens, promptLength: prompt.length };
  });
  return { examples, truncated };
}

export interface TokenBatch {
  batch: number;
  /** Padded sequence length (a multiple of 8, at most the context length). */
  time: number;
  /** [batch * time] input ids, row-major, padded with 0. */
  inputs: Int32Array;
  /** [batch * time] next-token ids. */
  targets: Int32Array;
  /** [batch * time] 1 where the target is a completion token, else 0. */
  weights: Float32Array;
  /** Non-padding input tokens (throughput). */
  tokenCount: number;
  /** Tokens that carry loss. */
  targetCount: number;
}

export function makeTokenBatch(examples: readonly EncodedExample[], contextLength: number): TokenBatch {
  const longest = Math.max(1, ...examples.map((e) => e.tokens.length - 1));
  const time = Math.min(contextLength, Math.ceil(longest / 8) * 8);
  const batch = examples.length;
  const inputs = new Int32Array(batch * time);
  const targets = new Int32Array(batch * time);
  const weights = new Float32Array(batch * time);
  let tokenCount = 0;
  let targetCount = 0;
  examples.forEach((e, b) => {
    const n = Math.min(time, e.tokens.length - 1);
    const row = b * time;
    for (let t = 0; t < n; t++) {
      inputs[row + t] = e.tokens[t];
      targets[row + t] = e.tokens[t + 1];
      if (t + 1 >= e.promptLength) {
        weights[row + t] = 1;
        targetCount++;
      }
    }
    tokenCount += n;
  });
  return { batch, time, inputs, targets, weights, tokenCount, targetCount };
}

/** Which examples each step trains on. */
export class BatchSampler {
  private cachedEpoch = -1;
  private cachedOrder: number[] = [];

  constructor(
    readonly size: number,
    readonly batchSize: number,
    readonly seed: number,
  ) {}

  /** Fractional epochs completed after `steps` steps. */
  epochAt(steps: number): number {
    return (steps * this.batchSize) / this.size;
  }

  indicesForStep(step: number): number[] {
    const out: number[] = [];
    const start = step * this.batchSize;
    for (let p = start; p < start + this.batchSize; p++) {
      const epoch = Math.floor(p / this.size);
      out.push(this.order(epoch)[p % this.size]);
    }
    return out;
  }

  private order(epoch: number): number[] {
    if (epoch !== this.cachedEpoch) {
      // Seeds 2^20 apart per epoch keep every (seed, epoch) pair distinct for practical seeds.
      const rng = createRng(this.seed * 1_048_576 + epoch);
      this.cachedOrder = rng.shuffled(Array.from({ length: this.size }, (_, i) => i));
      this.cachedEpoch = epoch;
    }
    return this.cachedOrder;
  }
}
