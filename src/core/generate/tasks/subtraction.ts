// Multi-digit subtraction, ones column first, each borrow written out. A borrowed column shows
// the top digit plus ten ("12-7-0=5, write 5 borrow 1"). Hard problems may go below zero:
// then the smaller number is taken from the larger and the sign is put back at the end.
import type { GeneratedStep, TaskGenerator } from '../types';
import { operandPair } from './addition';
import { digitAt, digitCount } from './digits';

/** The column steps of a - b for a >= b >= 0. */
export function subtractionColumns(a: number, b: number): GeneratedStep[] {
  const steps: GeneratedStep[] = [];
  let borrow = 0;
  for (let place = 0; place < digitCount(a); place++) {
    const x = digitAt(a, place);
    const y = digitAt(b, place);
    const needs = x - y - borrow < 0 ? 1 : 0;
    const top = x + 10 * needs;
    const d = top - y - borrow;
    steps.push({ type: 'column', content: `${top}-${y}-${borrow}=${d}, write ${d} borrow ${needs}` });
    borrow = needs;
  }
  return steps;
}

export const subtractionTask: TaskGenerator = {
  name: 'subtraction',
  category: 'arithmetic',
  summary: 'Multi-digit subtraction, ones column first, borrows shown',
  generate(rng, difficulty) {
    let [a, b] = operandPair(rng, difficulty);
    // Easy and medium stay at or above zero; hard keeps whatever order came out.
    if (difficulty !== 'hard' && a < b) [a, b] = [b, a];
    const steps: GeneratedStep[] = [];
    const negative = a < b;
    if (negative) steps.push({ type: 'plan', content: `${a}<${b}, so ${a}-${b}=-(${b}-${a})` });
    const [big, small] = negative ? [b, a] : [a, b];
    steps.push(...subtractionColumns(big, small));
    const difference = a - b;
    steps.push({ type: 'result', content: `${a}-${b}=${difference}` });
    return { prompt: `What is ${a} - ${b}?`, steps, finalAnswer: String(difference) };
  },
};
