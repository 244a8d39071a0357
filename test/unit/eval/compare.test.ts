import * as assert from 'node:assert/strict';
import { compareItems, configDifferences, flattenConfig, mcnemarExact, scorecardDeltas, type ComparedEvaluation } from '../../../src/core/eval/compare';
import { buildScorecard, type ItemResult } from '../../../src/core/eval/scorecard';

function evaluation(id: string, verdicts: Record<string, boolean | null>, judge = 'answer_correctness@v2', category = (k: string) => (k < 'c' ? 'x' : 'y')): ComparedEvaluation {
  const items: ItemResult[] = Object.entries(verdicts).map(([k, v]) => ({
    item_id: k,
    prompt: `p-${k}`,
    expected: `e-${k}`,
    predicted: v === null ? null : v ? `e-${k}` : 'nope',
    correct: v ?? false,
    score: v ? 1 : 0,
    details: {},
    category: category(k),
  }));
  return { id, label: id, runId: id, judge, scorecard: buildScorecard(judge, 'correctness', items), items };
}

describe('run comparison', () => {
  const ref = evaluation('A', { a: true, b: true, c: false, d: false, e: true });
  const other = evaluation('B', { a: true, b: false, c: true, d: false, f: true });

  it('classifies every item: fixed, broken, both right, both wrong, missing', () => {
    const cmp = compareItems([ref, other]);
    const byId = Object.fromEntries(cmp.rows.map((r) => [r.item_id, r.outcomes[0]]));
    assert.deepEqual(byId, { a: 'both_right', b: 'broken', c: 'fixed', d: 'both_wrong', e: 'missing', f: 'missing' });
    assert.deepEqual(
      cmp.rows.map((r) => r.item_id),
      ['a', 'b', 'c', 'd', 'e', 'f'],
      'reference order, then items only the other has',
    );
    const row = cmp.rows.find((r) => r.item_id === 'e')!;
    assert.equal(row.cells[1], null);
    assert.equal(row.category, 'y');
    const pair = cmp.pairs[0];
    assert.deepEqual([pair.fixed, pair.broken, pair.both_right, pair.both_wrong, pair.missing], [1, 1, 1, 1, 2]);
    assert.equal(pair.p_value, 1);
    assert.equal(pair.delta, other.scorecard.primary_score - ref.scorecard.primary_score);
    assert.deepEqual(cmp.warnings, []);
  });

  it('compares three runs against the first and warns when judges differ', () => {
    const third = evaluation('C', { a: false, b: true, c: true, d: true, e: true }, 'answer_correctness@v1');
    const cmp = compareItems([ref, other, third]);
    assert.equal(cmp.pairs.length, 2);
    assert.deepEqual(cmp.rows.find((r) => r.item_id === 'a')!.outcomes, ['both_right', 'broken']);
    assert.match(cmp.warnings[0], /different judges \(answer_correctness@v2, answer_correctness@v1\)/);
  });

  it('McNemar exact p-values match the binomial tables', () => {
    assert.equal(mcnemarExact(0, 0), 1);
    assert.equal(mcnemarExact(3, 3), 1);
    // b=0, c=6: 2 * 0.5^6 = 0.03125
    assert.ok(Math.abs(mcnemarExact(0, 6) - 0.03125) < 1e-12);
    // b=1, c=9: 2 * (1 + 10) / 1024 = 0.021484375
    assert.ok(Math.abs(mcnemarExact(1, 9) - 0.021484375) < 1e-12);
    assert.ok(Math.abs(mcnemarExact(9, 1) - 0.021484375) < 1e-12);
    // Large counts stay finite and sensible.
    const p = mcnemarExact(4000, 4200);
    assert.ok(p > 0.01 && p < 0.05, String(p));
  });

  it('scorecard deltas per breakdown group', () => {
    const [d] = scorecardDeltas([ref, other]);
    assert.equal(d.primary_score, 0.6 - 0.6);
    assert.deepEqual(d.breakdowns.category, { x: 0.5 - 1, y: 2 / 3 - 1 / 3 });
  });

  it('config differences: only keys that differ, absent keys count, run_id ignored', () => {
    const a = { run_id: 'a', training: { learning_rate: 0.003, steps: 600 }, model: { layers: 2 }, tags: ['x'] };
    const b = { run_id: 'b', training: { learning_rate: 0.01, steps: 600 }, model: { layers: 2, extra: true }, tags: ['x'] };
    const { differences, same } = configDifferences([a, b]);
    assert.deepEqual(differences, [
      { key: 'model.extra', values: [undefined, true] },
      { key: 'training.learning_rate', values: [0.003, 0.01] },
    ]);
    assert.equal(same, 3);
    assert.deepEqual(flattenConfig({ a: { b: { c: 1 } }, d: [1, 2], e: {} }), { 'a.b.c': 1, d: [1, 2], e: {} });
  });
});
