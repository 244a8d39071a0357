// answer_correctness@v2's rules (documented in the judge's source and docs/judges.md),
// pinned pair by pair. Each row: expected, predicted, right?, and why it is tricky.
import * as assert from 'node:assert/strict';
import { answerCorrectnessV2, normalizeV2 } from '../../../src/core/eval/judges/answerCorrectnessV2';
import type { EvalItem } from '../../../src/core/eval/judges/types';

const item = (expected: string): EvalItem => ({ id: 'x', prompt: 'p', expected_answer: expected });
const judge = (expected: string, predicted: string | undefined) =>
  answerCorrectnessV2.judge(item(expected), predicted, {}) as { correct: boolean; score: number; details: Record<string, unknown> };

const TABLE: Array<[string, string, boolean, string]> = [
  // answer extraction
  ['579', 'Reasoning:\n1. 4+5=9\n2. 7+0=7\nAnswer: 579', true, 'the model turn of the tunix_sft template'],
  ['579', 'Answer: 123\nWait, recheck.\nAnswer: 579', true, 'the LAST "Answer:" wins'],
  ['579', 'Answer: 579\nAnswer: 123', false, 'the last "Answer:" is wrong'],
  ['579', 'final answer: 579', true, 'any case, "Final Answer:" included'],
  ['579', 'ANSWER : 579', true, 'space before the colon'],
  ['579', '**Answer:** 579', true, 'markdown bold around the marker'],
  ['579', 'Answer: 579<end_of_turn>', true, 'Gemma end-of-turn token'],
  ['579', 'Answer: 579</s>', true, 'Llama end token'],
  ['579', 'Answer: 579<|im_end|>', true, 'ChatML end token'],
  ['579', 'The sum is 579', false, 'no marker: the whole text must be the answer'],
  ['yes', 'Reanswer: yes', false, '"answer" must be a whole word'],
  // whitespace, case, punctuation, wrapping
  ['New York', '  new   york ', true, 'whitespace runs and case'],
  ['New York', 'new\tyork', true, 'tabs are whitespace'],
  ['win', 'Win.', true, 'trailing period'],
  ['win', 'win!!', true, 'trailing punctuation run'],
  ['tie', '"tie"', true, 'wrapping double quotes'],
  ['nosaer', "'nosaer'.", true, 'quotes and a period'],
  ['nosaer', '“nosaer”', true, 'curly quotes'],
  ['lose', '**lose**', true, 'markdown bold'],
  ['lose', '`lose`', true, 'inline code'],
  ['42', '\\boxed{42}', true, 'LaTeX boxed'],
  ['42', '$42$', true, 'LaTeX inline math'],
  ['win', 'won', false, 'a different word stays wrong'],
  ['a b', 'ab', false, 'whitespace is collapsed, not removed'],
  ['e.g', 'e.g.', true, 'only trailing punctuation is dropped'],
  // numbers
  ['42', '42.0', true, 'decimal zeros'],
  ['42', '42.00000', true, 'many decimal zeros'],
  ['42', '4.2e1', true, 'scientific notation'],
  ['1000', '1,000', true, 'thousands separator'],
  ['1234567', '1,234,567', true, 'several separators'],
  ['1,234.5', '1234.50', true, 'separators and decimals'],
  ['100', '1,00', false, 'a malformed group is text, not 100'],
  ['0.5', '1/2', true, 'fraction vs decimal'],
  ['1/2', '2/4', true, 'unreduced fraction'],
  ['3/2', '1 1/2', true, 'mixed number'],
  ['-3/2', '-1 1/2', true, 'negative mixed number'],
  ['1/2', '½', true, 'vulgar fraction character (NFKC)'],
  ['1/3', '0.333', false, 'no rounding tolerance: exact values only'],
  ['0.3', '0.30000000000000004', false, 'no float fuzz either'],
  ['0', '-0', true, 'signed zero'],
  ['-5', '−5', true, 'Unicode minus sign'],
  ['5', '+5', true, 'explicit plus sign'],
  ['.5', '0.5', true, 'leading dot'],
  ['7', '007', true, 'leading zeros'],
  ['42', '４２', true, 'full-width digits (NFKC)'],
  ['$5', '$5.00', true, 'same currency'],
  ['$5', '5', false, 'currency must match'],
  ['-$5', '$-5', true, 'sign before or after the currency'],
  ['50%', '50.0%', true, 'same percent'],
  ['50%', '0.5', false, 'percent is not a fraction'],
  ['1/2', '\\frac{1}{2}', true, 'LaTeX fraction'],
  ['3', 'Answer: 3.', true, 'number with a full stop'],
  ['12', 'Answer: **12**', true, 'bold number after the marker'],
  ['1/0', '1/0', true, 'not a number (zero denominator) but the same text'],
  ['1e999', '1e999', true, 'an exponent too large to be simple is compared as text'],
  ['2', '2 apples', false, 'units are content'],
];

describe('answer_correctness@v2 tricky pairs', () => {
  it('the table has at least 30 pairs', () => assert.ok(TABLE.length >= 30));
  for (const [expected, predicted, correct, why] of TABLE) {
    it(`${why}: ${JSON.stringify(expected)} vs ${JSON.stringify(predicted)} -> ${correct ? 'right' : 'wrong'}`, () => {
      const v = judge(expected, predicted);
      assert.equal(v.correct, correct, JSON.stringify(v.details));
      assert.equal(v.score, correct ? 1 : 0);
    });
  }

  it('a missing or empty prediction is wrong', () => {
    assert.equal(judge('42', undefined).correct, false);
    assert.equal(judge('42', '').correct, false);
    assert.equal(judge('42', 'Answer:').correct, false);
    assert.match(String(judge('42', 'Answer:   ').details.reason), /no answer text/);
  });

  it('says how it compared: number or text, and whether it found the marker', () => {
    const n = judge('1/2', 'Answer: 0.50');
    assert.equal(n.details.compared_as, 'number');
    assert.equal(n.details.predicted_normalized, '1/2');
    assert.equal(n.details.answer_marker, true);
    const t = judge('win', 'Win');
    assert.equal(t.details.compared_as, 'text');
    assert.equal(t.details.answer_marker, false);
  });

  it('normalizeV2 is idempotent', () => {
    for (const [, p] of TABLE) assert.equal(normalizeV2(normalizeV2(p)), normalizeV2(p), p);
  });
});
