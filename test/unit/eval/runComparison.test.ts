// The comparison view's data built from a real store and real run folders: evaluations of two
// runs, their config differences, metric curves, and the item outcomes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { evaluateSources } from '../../../src/core/eval/evaluateSources';
import { answerCorrectnessV2 } from '../../../src/core/eval/judges/answerCorrectnessV2';
import { answerCorrectnessV1 } from '../../../src/core/eval/judges/answerCorrectnessV1';
import { buildRunComparison, resolveComparedEvaluations } from '../../../src/core/eval/runComparison';
import { tempDir } from '../helpers';
import { ITEMS, makeRun, withStore } from './fixtures';

describe('run comparison from the store', () => {
  const dir = tempDir('tunix-eval-cmp-');
  const db = path.join(dir, 'tunix.db');
  const a = 'run-20250201-000000-aaaa';
  const b = 'run-20250202-000000-bbbb';

  before(async () => {
    await makeRun(db, { id: a, right: (i) => i < 10, evalLoss: 0.6 });
    await makeRun(db, { id: b, right: (i) => i >= 5, evalLoss: 0.4, learningRate: 0.01 });
    await withStore(db, async (store) => {
      for (const runId of [a, b]) await evaluateSources({ store, runId, judge: answerCorrectnessV2 });
    });
  });

  it('lines the runs up: scorecards, deltas, fixed and broken items, config differences, curves', async () => {
    await withStore(db, async (store) => {
      const ids = resolveComparedEvaluations(store, [a, b]);
      const cmp = await buildRunComparison(store, ids);
      assert.deepEqual(
        cmp.runs.map((r) => [r.runId, r.scorecard.primary_score, r.runExists]),
        [
          [a, 0.5, true],
          [b, 0.75, true],
        ],
      );
      assert.equal(cmp.deltas[0].primary_score, 0.25);
      const pair = cmp.items.pairs[0];
      assert.deepEqual([pair.fixed, pair.broken, pair.both_right, pair.both_wrong, pair.missing], [10, 5, 5, 0, 0]);
      assert.equal(cmp.items.rows.length, ITEMS.length);
      assert.equal(cmp.items.rows[0].outcomes[0], 'broken');
      assert.equal(cmp.items.rows[19].outcomes[0], 'fixed');
      assert.match(cmp.items.rows[0].prompt, /^What is 0 \+ 0\?$/, 'the raw prompt, out of the chat template');
      assert.deepEqual(
        cmp.config.differences.map((d) => d.key),
        ['training.learning_rate'],
        'run_id is not a difference worth showing',
      );
      assert.deepEqual(cmp.metricNames.slice(0, 3), ['loss', 'eval_loss', 'learning_rate']);
      const loss = cmp.curves.filter((c) => c.name === 'loss');
      assert.deepEqual(
        loss.map((c) => [c.run, c.x]),
        [
          [0, [0, 50, 100]],
          [1, [0, 50, 100]],
        ],
      );
      assert.deepEqual(cmp.items.warnings, []);
    });
  });

  it('warns when the evaluations used different judges, and refuses one evaluation twice', async () => {
    await withStore(db, async (store) => {
      await evaluateSources({ store, runId: b, judge: answerCorrectnessV1 });
      const ids = resolveComparedEvaluations(store, [a, b]);
      const cmp = await buildRunComparison(store, ids);
      assert.match(cmp.items.warnings.join('\n'), /different judges/);
      await assert.rejects(() => buildRunComparison(store, [ids[0], ids[0]]), /picked twice/);
      await assert.rejects(() => buildRunComparison(store, [ids[0]]), /at least two/);
      assert.throws(() => resolveComparedEvaluations(store, ['run-nope']), /neither an evaluation nor an evaluated run/);
    });
  });
});
