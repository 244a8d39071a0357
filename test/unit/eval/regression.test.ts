import * as assert from 'node:assert/strict';
import { checkValue, defaultDirection, parseTolerance, thresholdOf, type Baseline } from '../../../src/core/eval/regression';

const base = (o: Partial<Baseline> = {}): Baseline => ({
  metric: 'primary_score',
  judge: 'answer_correctness@v1',
  runId: 'run-base',
  evaluationId: 'e1',
  value: 0.8,
  direction: 'higher',
  tolerance: 0.02,
  toleranceKind: 'absolute',
  createdAt: '2025-01-01T00:00:00Z',
  ...o,
});

describe('regression checks', () => {
  it('higher is better with an absolute tolerance: the threshold itself passes', () => {
    assert.equal(thresholdOf(base()), 0.78);
    assert.equal(checkValue(base(), 'r', 0.78).verdict, 'pass');
    assert.equal(checkValue(base(), 'r', 0.7799).verdict, 'regressed');
    assert.equal(checkValue(base(), 'r', 0.8).improved, false);
    assert.equal(checkValue(base(), 'r', 0.83).improved, true);
    // 0.8 - 0.02 in floating point is 0.78000000000000003: a run scoring 0.78 must still pass.
    assert.equal(checkValue(base({ value: 0.1 + 0.7, tolerance: 0.02 }), 'r', 0.78).verdict, 'pass');
  });

  it('lower is better with a relative tolerance', () => {
    const b = base({ metric: 'eval_loss', judge: '', value: 0.5, direction: 'lower', tolerance: 0.1, toleranceKind: 'relative' });
    assert.equal(thresholdOf(b), 0.55);
    assert.equal(checkValue(b, 'r', 0.55).verdict, 'pass');
    const bad = checkValue(b, 'r', 0.6);
    assert.equal(bad.verdict, 'regressed');
    assert.match(bad.message, /^REGRESSED: eval_loss of run r is 0\.6, > 0\.55 \(baseline 0\.5 from run run-base, lower is better, tolerance 10%\)\.$/);
  });

  it('a zero tolerance passes only equal or better values', () => {
    const b = base({ tolerance: 0 });
    assert.equal(checkValue(b, 'r', 0.8).verdict, 'pass');
    assert.equal(checkValue(b, 'r', 0.79).verdict, 'regressed');
  });

  it('refuses values that are not numbers', () => {
    assert.throws(() => checkValue(base(), 'r', Number.NaN), /no finite value/);
  });

  it('directions from metric names; tolerances from text', () => {
    assert.equal(defaultDirection('primary_score'), 'higher');
    for (const m of ['loss', 'eval_loss', 'val.loss', 'perplexity', 'error_rate', 'latency_ms', 'wer']) assert.equal(defaultDirection(m), 'lower', m);
    for (const m of ['accuracy', 'tokens_per_second', 'bleu', 'glossary']) assert.equal(defaultDirection(m), undefined, m);
    assert.deepEqual(parseTolerance('0.02'), { tolerance: 0.02, toleranceKind: 'absolute' });
    assert.deepEqual(parseTolerance('5%'), { tolerance: 0.05, toleranceKind: 'relative' });
    assert.deepEqual(parseTolerance(' .5 '), { tolerance: 0.5, toleranceKind: 'absolute' });
    assert.throws(() => parseTolerance('-1'), /not a number/);
    assert.throws(() => parseTolerance('5 percent'), /not a number/);
  });
});
