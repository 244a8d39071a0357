import * as assert from 'node:assert/strict';
import { DEFAULT_JUDGE_ID, listJudges, resolveJudge, resolveJudgeName } from '../../../src/core/eval/judges/registry';
import { baselineJudge, stepsOfPrediction } from '../../../src/core/eval/judges/baselineJudge';
import { baselineScore } from '../../../src/core/trace/score';

describe('judge registry', () => {
  it('lists the versioned judges, v1 (tunix-rt) by default', () => {
    const ids = listJudges().map((j) => j.id);
    assert.deepEqual(ids, ['answer_correctness@v1', 'answer_correctness@v2', 'baseline@v1', 'llm_judge@v1']);
    assert.equal(DEFAULT_JUDGE_ID, 'answer_correctness@v1');
  });

  it('resolves names and explains what is wrong with others', () => {
    assert.equal(resolveJudge('answer_correctness@v2').id, 'answer_correctness@v2');
    assert.throws(() => resolveJudge('answer_correctness'), /needs a version, because its versions give different numbers.*use answer_correctness@v1 or answer_correctness@v2 \(v1 is tunix-rt's exact rule/);
    assert.throws(() => resolveJudge('exact@v9'), /Unknown judge "exact@v9"\. Judges: answer_correctness@v1/);
    assert.throws(() => resolveJudge('baseline@v9'), /Judge baseline has no version "v9"; use baseline@v1\./);
    assert.throws(() => resolveJudge('answer_correctness@v3'), /has no version "v3"; use answer_correctness@v1 or answer_correctness@v2\./);
    assert.throws(() => resolveJudge('llm_judge@v1'), /needs an endpoint/);
    assert.equal(resolveJudge('llm_judge@v1', { llm: { url: 'http://127.0.0.1:9/v1', model: 'm' } }).id, 'llm_judge@v1');
  });

  it('a bare name means its newest version, except answer_correctness', () => {
    assert.equal(resolveJudgeName('baseline'), 'baseline@v1');
    assert.equal(resolveJudge('baseline'), baselineJudge);
    assert.equal(resolveJudgeName('llm_judge'), 'llm_judge@v1');
    assert.throws(() => resolveJudge('llm_judge'), /llm_judge@v1 needs an endpoint/);
    assert.equal(resolveJudge('llm_judge', { llm: { url: 'http://127.0.0.1:9/v1', model: 'm' } }).id, 'llm_judge@v1');
    assert.equal(resolveJudgeName('answer_correctness@v1'), 'answer_correctness@v1');
    assert.throws(() => resolveJudgeName('answer_correctness'), /needs a version/);
    // Every listed judge resolves to itself, and every bare name but answer_correctness to its newest version.
    for (const { id } of listJudges()) {
      assert.equal(resolveJudgeName(id), id);
      const base = id.split('@')[0];
      const newest = listJudges().map((j) => j.id).filter((k) => k.startsWith(`${base}@`)).sort().at(-1);
      if (base !== 'answer_correctness') assert.equal(resolveJudgeName(base), newest);
    }
  });
});

describe('baseline@v1 judge (trace structure of the generated reasoning)', () => {
  const prediction = 'Reasoning:\n1. 8+6+0=14, write 4 carry 1\n2. 1+2+1=4\nAnswer: 44';

  it('reads the numbered steps before the answer', () => {
    assert.deepEqual(stepsOfPrediction(prediction), ['8+6+0=14, write 4 carry 1', '1+2+1=4']);
    assert.deepEqual(stepsOfPrediction('1) a\n  2. b\nnot a step\n3.no space'), ['a', 'b']);
  });

  it("scores them with tunix-rt's baseline formula, scaled to 0-1", () => {
    const v = baselineJudge.judge({ id: 'a', prompt: 'p', expected_answer: '44' }, prediction, {}) as any;
    const expected = baselineScore({ steps: [{ i: 0, type: 's', content: '8+6+0=14, write 4 carry 1' }, { i: 1, type: 's', content: '1+2+1=4' }] }).score;
    assert.equal(v.score, expected / 100);
    assert.equal(v.correct, null);
    assert.equal(v.details.step_count, 2);
    // 2 steps -> 10 of 50; average (25 + 7) / 2 = 16 chars -> 1.6 of 50
    assert.equal(v.details.baseline_score, 11.6);
  });

  it('no steps or no prediction score 0 with a reason', () => {
    assert.equal((baselineJudge.judge({ id: 'a', prompt: 'p', expected_answer: '1' }, 'Answer: 1', {}) as any).score, 0);
    assert.match((baselineJudge.judge({ id: 'a', prompt: 'p', expected_answer: '1' }, undefined, {}) as any).details.reason, /no prediction/);
  });
});
