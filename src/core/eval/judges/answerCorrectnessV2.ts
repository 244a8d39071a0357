// `answer_correctness@v2`: answer correctness that forgives formatting, not content.
// The rules, applied to the expected answer and the prediction alike (docs/judges.md has
// the same list with examples; test/unit/eval/answerCorrectnessV2.test.ts pins them):
//  1. Unicode NFKC (full-width digits, non-breaking spaces, ½ become plain forms); the
//     minus sign U+2212 and fraction slash U+2044 become '-' and '/'.
//  2. Chat-template end tokens are removed: <end_of_turn>, <eos>, </s>, <|im_end|>,
//     <|endoftext|>, <|eot_id|>.
//  3. If the text contains "Answer:" (any case, optional space before the colon, as a whole
//     word, so "Final Answer:" counts), only the text after the LAST one is kept.
//  4. Whitespace runs become one space; the ends are trimmed.
//  5. Repeated until nothing changes: trailing punctuation . , ; : ! ? is dropped; wrapping
//     markdown (**x**, *x*, `x`, _x_, and stray leading/trailing * or `), a wrapping pair of
//     quotes ("x", 'x', “x”, ‘x’, «x»), $x$ and \boxed{x} are unwrapped; \frac{a}{b} becomes a/b.
//  6. Case is folded (lowercase).
//  7. When both sides then read as numbers they are compared as exact fractions:
//     42 = 42.0 = 4.2e1, 1,000 = 1000, 0.5 = 1/2 = 2/4, 1 1/2 = 3/2, -0 = 0. A currency sign
//     or percent sign must appear on both sides or neither (50% != 0.5). Thousands commas
//     must be well formed (1,000 yes; 1,00 is text). Otherwise the texts must be equal.
//  A missing or empty prediction is wrong.
import type { Judge } from './types';
import { exactNumbersEqual, formatExactNumber, parseExactNumber } from './exactNumber';

const END_TOKENS = /<end_of_turn>|<eos>|<\/s>|<\|im_end\|>|<\|endoftext\|>|<\|eot_id\|>/g;
const ANSWER_MARKER = /\banswer\s*:/gi;
const TRAILING_PUNCT = /[.,;:!?。]+$/;
const QUOTE_PAIRS: Array<[string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['‘', '’'],
  ['«', '»'],
  ['`', '`'],
  ['$', '$'],
];

/** Steps 1-3: the part of the text that is the answer. Returns it and whether a marker was found. */
export function extractAnswer(text: string): { text: string; marker: boolean } {
  let s = text.normalize('NFKC').replace(/\u2212/g, '-').replace(/\u2044/g, '/').replace(END_TOKENS, '');
  let last = -1;
  for (const m of s.matchAll(ANSWER_MARKER)) last = m.index! + m[0].length;
  if (last >= 0) s = s.slice(last);
  return { text: s, marker: last >= 0 };
}

/** One pass of rule 5; returns the input unchanged when nothing applies. */
function unwrapOnce(s: string): string {
  s = s.trim().replace(TRAILING_PUNCT, '').trim();
  const boxed = /^\\boxed\{(.*)\}$/.exec(s);
  if (boxed) return boxed[1];
  const frac = /^([+-]?)\\[dt]?frac\{\s*(\d+)\s*\}\{\s*(\d+)\s*\}$/.exec(s);
  if (frac) return `${frac[1]}${frac[2]}/${frac[3]}`;
  for (const wrap of ['**', '__', '*', '_']) {
    if (s.length > 2 * wrap.length && s.startsWith(wrap) && s.endsWith(wrap)) return s.slice(wrap.length, -wrap.length);
  }
  for (const [open, close] of QUOTE_PAIRS) {
    if (s.length >= 2 && s.startsWith(open) && s.endsWith(close)) return s.slice(open.length, -close.length);
  }
  // "**Answer:** 42" leaves a stray "**" in front once the marker is cut off.
  return s.replace(/^[*`]+\s*/, '').replace(/\s*[*`]+$/, '');
}

/** Rules 1-6: the canonical text of an answer. */
export function normalizeV2(text: string): string {
  let s = extractAnswer(text).text.replace(/\s+/g, ' ');
  for (let i = 0; i < 20; i++) {
    const next = unwrapOnce(s);
    if (next === s) break;
    s = next;
  }
  return s.trim().toLowerCase();
}

export const answerCorrectnessV2: Judge = {
  id: 'answer_correctness@v2',
  description: 'the text after the last "Answer:", whitespace, case, punctuation and markdown forgiven; numbers compared as numbers (42 = 42.0, 1,000 = 1000, 1/2 = 0.5)',
  kind: 'correctness',
  judge(item, prediction) {
    if (prediction === undefined) return { score: 0, correct: false, details: { reason: 'no prediction for this item' } };
    const expected = normalizeV2(item.expected_answer);
    const predicted = normalizeV2(prediction);
    const marker = extractAnswer(prediction).marker;
    if (predicted === '') {
      return { score: 0, correct: false, details: { reason: 'the prediction has no answer text', answer_marker: marker, expected_normalized: expected } };
    }
    const en = parseExactNumber(expected);
    const pn = parseExactNumber(predicted);
    if (en && pn) {
      const correct = exactNumbersEqual(en, pn);
      return {
        score: correct ? 1 : 0,
        correct,
        details: { compared_as: 'number', expected_normalized: formatExactNumber(en), predicted_normalized: formatExactNumber(pn), answer_marker: marker },
      };
    }
    const correct = expected === predicted;
    return { score: correct ? 1 : 0, correct, details: { compared_as: 'text', expected_normalized: expected, predicted_normalized: predicted, answer_marker: marker } };
  },
};
