// Multi-digit addition, worked column by column from the ones column, each carry written out
// ("8+6+0=14, write 4 carry 1"): the form a small model can learn (see ENVIRONMENT.md).
import type { Rng } from '../prng';
import type { Difficulty, GeneratedStep, TaskGenerator } from '../types';
import { digitAt, digitCount, numberWithDigits } from './digits';

const DIGITS: Record<Difficulty, [number, number]> = { easy: [1, 2], medium: [2, 3], hard: [4, 6] };

/** Two operands: one with the difficulty's top digit count, the other anywhere in its range. */
export function operandPair(rng: Rng, difficulty: Difficulty): [number, number] {
  const [lo, hi] = DIGITS[difficulty];
  const x = numberWithDigits(rng, hi);
  const y = numberWithDigits(rng, rng.int(lo, hi));
  return rng.chance(0.5) ? [x, y] : [y, x];
}

/** The column steps of a + b (both >= 0). Exported for multiplication's partial sums. */
export function additionColumns(a: number, b: number): { steps: GeneratedStep[]; sum: number } {
  const steps: GeneratedStep[] = [];
  let carry = 0;
  const columns = Math.max(digitCount(a), digitCount(b));
  for (let place = 0; place < columns; place++) {
    const x = digitAt(a, place);
    const y = digitAt(b, place);
    const s = x + y + carry;
    const next = Math.floor(s / 10);
    steps.push({ type: 'column', content: `${x}+${y}+${carry}=${s}, write ${s % 10} carry ${next}` });
    carry = next;
  }
  return { steps, sum: a + b };
}

export const additionTask: TaskGenerator = {
  name: 'addition',
  category: 'arithmetic',
  summary: 'Multi-digit addition, ones column first, carries shown',
  generate(rng, difficulty) {
    const [a, b] = operandPair(rng, difficulty);
    const { steps, sum } = additionColumns(a, b);
    steps.push({ type: 'result', content: `${a}+${b}=${sum}` });
    return { prompt: `What is ${a} + ${b}?`, steps, finalAnswer: String(sum) };
  },
};
