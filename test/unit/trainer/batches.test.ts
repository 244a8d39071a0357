import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { BatchSampler, encodeExamples, makeTokenBatch } from '../../../src/trainer/data/batches';
import { readSftRecords } from '../../../src/trainer/data/records';
import { CharTokenizer } from '../../../src/trainer/data/tokenizer';
import { TrainerError } from '../../../src/trainer/errors';
import { PARALLEL_MIN_STEP_FLOPS, splitEvenly, threadsFor } from '../../../src/trainer/parallel/sharding';
import { generatedSplits, writeJsonl } from './fixtures';

describe('trainer: data and batches', () => {
  const dir = tempDir();
  const splits = generatedSplits({ train: 20 });
  const file = path.join(dir, 'train.jsonl');
  writeJsonl(file, splits.train);

  it('splits tunix_sft text at the model turn', () => {
    const records = readSftRecords(file, 'train');
    assert.equal(records.length, 20);
    assert.ok(records[0].prompt.endsWith('<start_of_turn>model\n'));
    assert.ok(records[0].completion.startsWith('Reasoning:\n1. '));
    assert.ok(records[0].completion.endsWith(`Answer: ${splits.train[0].final_answer}<end_of_turn>`));
  });

  it('puts loss weight only on completion tokens', () => {
    const records = readSftRecords(file, 'train');
    const tok = CharTokenizer.fromTexts(records.flatMap((r) => [r.prompt, r.completion]));
    const { examples } = encodeExamples(records, tok, 256);
    const batch = makeTokenBatch(examples.slice(0, 3), 256);
    assert.equal(batch.time % 8, 0);
    for (let b = 0; b < 3; b++) {
      const e = examples[b];
      const completionLength = tok.encode(records[b].completion).length;
      let weighted = 0;
      for (let t = 0; t < batch.time; t++) {
        const w = batch.weights[b * batch.time + t];
        // Position t predicts token t+1: weight 1 exactly when that token is in the completion.
        assert.equal(w, t + 1 >= e.promptLength && t + 1 < e.tokens.length ? 1 : 0, `row ${b} position ${t}`);
        weighted += w;
      }
      assert.equal(weighted, completionLength);
    }
    assert.equal(batch.targetCount, [0, 1, 2].reduce((n, b) => n + tok.encode(records[b].completion).length, 0));
  });

  it('truncates over-long examples from the prompt start, keeping the completion', () => {
    const records = readSftRecords(file, 'train');
    const tok = CharTokenizer.fromTexts(records.flatMap((r) => [r.prompt, r.completion]));
    const completion = tok.encode(records[0].completion).length;
    const { examples, truncated } = encodeExamples(records.slice(0, 1), tok, completion + 4);
    assert.equal(truncated, 1);
    assert.equal(examples[0].tokens.length, completion + 5);
    assert.equal(examples[0].promptLength, 5);
  });

  it('draws the same batches for the same seed and step, every example once per epoch', () => {
    const a = new BatchSampler(10, 4, 3);
    const b = new BatchSampler(10, 4, 3);
    assert.deepEqual(a.indicesForStep(7), b.indicesForStep(7));
    const firstEpoch = [0, 1].flatMap((s) => a.indicesForStep(s)).concat(a.indicesForStep(2).slice(0, 2));
    assert.deepEqual([...firstEpoch].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.notDeepEqual(new BatchSampler(10, 4, 4).indicesForStep(0), a.indicesForStep(0));
    assert.equal(a.epochAt(5), 2);
  });

  it('reports bad lines and records with their line numbers', () => {
    const bad = path.join(dir, 'bad.jsonl');
    writeJsonl(bad, [splits.train[0]]);
    fs.appendFileSync(bad, '{"id": 2, "prompts": \n{"id": "x", "prompts": "no turns here"}\n');
    assert.throws(
      () => readSftRecords(bad, 'train'),
      (e: unknown) => e instanceof TrainerError && e.kind === 'data' && /line 2/.test(e.message) && /not JSON objects/.test(e.message),
    );
    const noTurn = path.join(dir, 'noturn.jsonl');
    writeJsonl(noTurn, [{ id: 'x', prompts: 'plain text' }, { id: 'y', prompt: 'p', response: 'r' }]);
    assert.throws(() => readSftRecords(noTurn, 'train'), (e: unknown) => e instanceof TrainerError && /line 1: .*no model turn/.test(e.message) && /line 2: .*another export format/.test(e.message));
    // A test split may hold bare prompts: they are wrapped in the template.
    const bare = path.join(dir, 'bare.jsonl');
    writeJsonl(bare, [{ id: 'x', prompts: 'plain text' }]);
    const [r] = readSftRecords(bare, 'test');
    assert.equal(r.prompt, '<start_of_turn>user\nplain text<end_of_turn>\n<start_of_turn>model\n');
  });
});

describe('trainer: data-parallel sharding', () => {
  it('splits a batch into contiguous shards that differ in size by at most one', () => {
    assert.deepEqual(splitEvenly([1, 2, 3, 4, 5], 2), [[1, 2, 3], [4, 5]]);
    assert.deepEqual(splitEvenly([1, 2], 3), [[1], [2], []]);
    assert.deepEqual(splitEvenly([1, 2, 3, 4, 5, 6, 7, 8], 4).map((s) => s.length), [2, 2, 2, 2]);
  });

  it('uses threads only on the CPU backends, and under auto only for steps big enough to gain', () => {
    const config = (threads: number | 'auto', batch = 32) => ({ threads, training: { batch_size: batch } }) as never;
    assert.equal(threadsFor(config(3), 'webgpu', 1e12), 1);
    assert.equal(threadsFor(config(3), 'wasm', 1), 3);
    assert.equal(threadsFor(config(8, 4), 'wasm', 1e12), 4, 'never more threads than examples');
    assert.equal(threadsFor(config('auto'), 'wasm', PARALLEL_MIN_STEP_FLOPS / 10), 1);
    assert.equal(threadsFor(config('auto'), 'cpu', PARALLEL_MIN_STEP_FLOPS * 10), Math.min(4, os.availableParallelism()));
  });
});
