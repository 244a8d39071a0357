// answer_correctness@v1 must behave exactly like tunix-rt's AnswerCorrectnessJudge._compare:
// s.strip().lower() on both sides, then ==. The table pins Python's strip() whitespace set.
import * as assert from 'node:assert/strict';
import { answerCorrectnessV1, pythonStrip } from '../../../src/core/eval/judges/answerCorrectnessV1';
import type { EvalItem } from '../../../src/core/eval/judges/types';

const item = (expected: string): EvalItem => ({ id: 'x', prompt: 'p', expected_answer: expected });
const judge = (expected: string, predicted: string | undefined) => answerCorrectnessV1.judge(item(expected), predicted, {}) as { correct: boolean; score: number };

// [expected, predicted, correct] — what tunix-rt's Python computes for each pair.
const TABLE: Array<[string, string, boolean]> = [
  ['42', '42', true],
  ['42', ' 42 ', true],
  ['nosaer', 'NOSAER', true],
  ['Paris', 'paris\n', true],
  ['Paris', '\tParis\r\n', true],
  ['win', 'Win', true],
  ['42', '42.0', false], // v1 compares text, not numbers
  ['42', '42.', false], // trailing punctuation counts in v1
  ['1,000', '1000', false],
  ['a b', 'a  b', false], // inner whitespace is not collapsed
  ['yes', 'Answer: yes', false], // no answer extraction in v1
  ['x', '\x1cx\x1f', true], // Python's strip() removes U+001C..U+001F (JS trim() does not)
  ['x', '\x85x', true], // ...and U+0085 NEXT LINE
  ['x', '\uFEFFx', false], // ...but not the BOM U+FEFF (JS trim() would)
  ['x', '\u3000x\u00a0', true], // ideographic and no-break spaces are whitespace to both
  ['ǅ', 'ǆ', true], // title-case digraph lowercases to the same letter
  ['STRASSE', 'strasse', true],
  ['ΟΔΟΣ', 'οδο\u03c2', true], // final sigma: Python and JS both lowercase a word-final Σ to ς
  ['ΟΔΟΣ', 'οδο\u03c3', false], // ...so a medial σ at the end does not match
  ['', '   ', true], // both strip to "": equal (tunix-rt's rule, for a present prediction)
];

describe('answer_correctness@v1 (tunix-rt parity)', () => {
  for (const [expected, predicted, correct] of TABLE) {
    it(`${JSON.stringify(expected)} vs ${JSON.stringify(predicted)} -> ${correct ? 'right' : 'wrong'}`, () => {
      const v = judge(expected, predicted);
      assert.equal(v.correct, correct);
      assert.equal(v.score, correct ? 1 : 0);
    });
  }

  it('a missing prediction is wrong, even when the expected answer strips to nothing', () => {
    assert.equal(judge('42', undefined).correct, false);
    assert.equal(judge('  ', undefined).correct, false);
  });

  it('pythonStrip keeps inner whitespace and strips only Python whitespace at the ends', () => {
    assert.equal(pythonStrip(' \t a \n b \x1e'), 'a \n b');
    assert.equal(pythonStrip('\uFEFFa'), '\uFEFFa');
  });
});
