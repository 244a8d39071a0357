import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { loadLatestCheckpoint, saveCheckpoint, type CheckpointContent } from '../../../src/trainer/train/checkpoint';
import { MetricsFile } from '../../../src/trainer/train/metricsFile';

function content(step: number): CheckpointContent {
  return {
    state: { format: 'tunix-checkpoint', version: 1, recipe: 'sft_transformer', step, total_steps: 100, epoch: step / 10, elapsed_seconds: step, rng: { seed: 1, sampler: 'epoch-shuffle', next_example_position: step * 4 }, timestamp: new Date().toISOString() },
    weights: new Map([['w', { shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, step]) }]]),
    optimizer: new Map([['m/w', { shape: [2, 3], values: new Float32Array(6).fill(step) }]]),
    files: { 'tokenizer.json': { chars: ['a'] } },
  };
}

describe('trainer: checkpoints and the metrics file', () => {
  it('saves atomically, points latest.json at the newest, keeps the newest N', () => {
    const run = tempDir();
    for (const step of [10, 20, 30, 40]) assert.equal(saveCheckpoint(run, content(step), 2), `checkpoints/step-${step}`);
    assert.deepEqual(fs.readdirSync(path.join(run, 'checkpoints')).sort(), ['latest.json', 'step-30', 'step-40']);
    const loaded = loadLatestCheckpoint(run)!;
    assert.equal(loaded.state.step, 40);
    assert.deepEqual(Array.from(loaded.weights.get('w')!.values), [1, 2, 3, 4, 5, 40]);
    assert.deepEqual(loaded.weights.get('w')!.shape, [2, 3]);
    assert.deepEqual(loaded.files['tokenizer.json'], { chars: ['a'] });
  });

  it('falls back to the newest complete checkpoint when latest.json or its folder is damaged', () => {
    const run = tempDir();
    saveCheckpoint(run, content(10), 5);
    saveCheckpoint(run, content(20), 5);
    // A crash mid-write leaves a temporary folder and a truncated weights file.
    fs.mkdirSync(path.join(run, 'checkpoints', '.tmp-step-30-999'));
    fs.truncateSync(path.join(run, 'checkpoints', 'step-20', 'weights.bin'), 8);
    const warnings: string[] = [];
    assert.equal(loadLatestCheckpoint(run, (w) => warnings.push(w))!.state.step, 10);
    assert.match(warnings.join('\n'), /step-20 is damaged.*runs past the end/);
    fs.writeFileSync(path.join(run, 'checkpoints', 'latest.json'), '{"step": 2');
    assert.equal(loadLatestCheckpoint(run, (w) => warnings.push(w))!.state.step, 10);
    assert.equal(loadLatestCheckpoint(tempDir()), undefined);
  });

  it('metrics: resume drops lines after the checkpoint step and a half-written last line', () => {
    const file = path.join(tempDir(), 'metrics.jsonl');
    const m = new MetricsFile(file);
    for (const step of [5, 10, 15, 20]) m.append({ step, loss: 1 / step });
    m.append({ step: 10, eval_loss: 0.5 });
    fs.appendFileSync(file, '{"step": 25, "lo');
    assert.deepEqual(m.truncateAfter(10), { kept: 3, dropped: 3 });
    assert.deepEqual(
      fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).step),
      [5, 10, 10],
    );
  });
});
