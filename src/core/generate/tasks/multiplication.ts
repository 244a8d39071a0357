// Long multiplication: one partial product per digit of the multiplier (ones digit first),
// each worked digit by digit with its carries, shifted to its place, then the partial
// products summed one at a time.
import type { Difficulty, GeneratedStep, TaskGenerator } from '../types';
import { digitAt, digitCount, numberWithDigits, placeName } from './digits';

/** [multiplicand digits, multiplier digits] choices per difficulty. */
const SHAPES: Record<Difficulty, Array<[number, number]>> = {
  easy: [[2, 1]],
  medium: [[3, 1], [2, 2]],
  hard: [[3, 2], [4, 2], [3, 3]],
};

/** "478*6: 8*6+0=48 write 8 carry 4, 7*6+4=46 write 6 carry 4, 4*6+4=28 write 8 carry 2 -> 2868". */
function partialProduct(a: number, digit: number, place: number): { content: string; value: number } {
  const head = `${a}*${digit} (${placeName(place)} digit)`;
  const shift = place > 0 ? `, shift ${place} -> ${a * digit * 10 ** place}` : '';
  if (digit === 0) return { content: `${head}: anything times 0 is 0 -> 0${shift}`, value: 0 };
  const parts: string[] = [];
  let carry = 0;
  for (let p = 0; p < digitCount(a); p++) {
    const x = digitAt(a, p);
    const s = x * digit + carry;
    const next = Math.floor(s / 10);
    parts.push(`${x}*${digit}+${carry}=${s} write ${s % 10} carry ${next}`);
    carry = next;
  }
  const product = a * digit;
  return { content: `${head}: ${parts.join(', ')} -> ${product}${shift}`, value: product * 10 ** place };
}

export const multiplicationTask: TaskGenerator = {
  name: 'multiplication',
  category: 'arithmetic',
  summary: 'Long multiplication: partial products with carries, then their sum',
  generate(rng, difficulty) {
    const [da, db] = rng.pick(SHAPES[difficulty]);
    const a = numberWithDigits(rng, da);
    const b = numberWithDigits(rng, db);
    const steps: GeneratedStep[] = [];
    const partials: number[] = [];
    for (let place = 0; place < digitCount(b); place++) {
      const { content, value } = partialProduct(a, digitAt(b, place), place);
      steps.push({ type: 'partial', content });
      partials.push(value);
    }
    let total = partials[0];
    for (const value of partials.slice(1)) {
      steps.push({ type: 'sum', content: `${total}+${value}=${total + value}` });
      total += value;
    }
    steps.push({ type: 'result', content: `${a}*${b}=${total}` });
    return { prompt: `What is ${a} * ${b}?`, steps, finalAnswer: String(total) };
  },
};
