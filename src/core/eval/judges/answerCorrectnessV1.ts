// `answer_correctness@v1`: tunix-rt's AnswerCorrectnessJudge, kept bit for bit so scores stay
// comparable with numbers people already have. Its rule (tunix-rt `_compare`):
//   normalize(s) = s.strip().lower();  correct = normalize(expected) == normalize(predicted)
// and the run's score = correct / items. A missing prediction is wrong.
// Never change this file's behaviour: better rules live in answer_correctness@v2.
import type { Judge } from './types';

/**
 * The characters Python's `str.strip()` removes (str.isspace()). JavaScript's `trim()`
 * differs: it keeps U+001C..U+001F and U+0085 and removes U+FEFF, so we spell Python's set out.
 */
const PY_WHITESPACE = '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const PY_WS_CLASS = PY_WHITESPACE.replace(/[\s\S]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const STRIP_RE = new RegExp(`^[${PY_WS_CLASS}]+|[${PY_WS_CLASS}]+$`, 'g');

/** Python's `s.strip()`. */
export function pythonStrip(s: string): string {
  return s.replace(STRIP_RE, '');
}

/** tunix-rt's normalize: strip, then lowercase (Python's `lower()` and JS's agree on Unicode). */
export function normalizeV1(s: string): string {
  return pythonStrip(s).toLowerCase();
}

export const answerCorrectnessV1: Judge = {
  id: 'answer_correctness@v1',
  description: "tunix-rt's rule: strip and lowercase both sides, exact equality (a missing prediction is wrong)",
  kind: 'correctness',
  judge(item, prediction) {
    if (prediction === undefined) {
      return { score: 0, correct: false, details: { reason: 'no prediction for this item' } };
    }
    const expected = normalizeV1(item.expected_answer);
    const predicted = normalizeV1(prediction);
    const correct = expected === predicted;
    return { score: correct ? 1 : 0, correct, details: { expected_normalized: expected, predicted_normalized: predicted } };
  },
};
