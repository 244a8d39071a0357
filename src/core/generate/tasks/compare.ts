// Which of two numbers is larger: integer parts by length then digit by digit, then the
// decimal parts padded to the same length (the "9.11 or 9.9" trap), digit by digit.
import type { Rng } from '../prng';
import type { Difficulty, GeneratedStep, TaskGenerator } from '../types';
import { numberWithDigits } from './digits';

/** Digit-by-digit comparison of two equal-length digit strings, up to the first difference. */
function digitWalk(x: string, y: string): { walk: string; sign: number } {
  const parts: string[] = [];
  for (let i = 0; i < x.length; i++) {
    const d = Number(x[i]) - Number(y[i]);
    parts.push(`${x[i]}${d === 0 ? '=' : d < 0 ? '<' : '>'}${y[i]}`);
    if (d !== 0) return { walk: parts.join(', '), sign: Math.sign(d) };
  }
  return { walk: parts.join(', '), sign: 0 };
}

/** A second number that shares a prefix with the first (so the digits must be walked). */
function nearby(rng: Rng, digits: string): string {
  const at = rng.int(0, digits.length - 1);
  let replacement = String(rng.int(at === 0 ? 1 : 0, 9));
  if (replacement === digits[at]) replacement = String(((Number(digits[at]) + 1) % 10) || 1);
  return digits.slice(0, at) + replacement + digits.slice(at + 1);
}

function fraction(rng: Rng): string {
  const length = rng.int(1, 3);
  let s = '';
  for (let i = 0; i < length - 1; i++) s += String(rng.int(0, 9));
  return s + String(rng.int(1, 9)); // no trailing zero, so 9.1 and 9.10 never both appear
}

function pair(rng: Rng, difficulty: Difficulty): [string, string] {
  for (;;) {
    let a: string, b: string;
    if (difficulty === 'easy') {
      a = String(rng.int(1, 99));
      b = String(rng.int(1, 99));
    } else if (difficulty === 'medium') {
      a = String(numberWithDigits(rng, rng.int(3, 4)));
      b = rng.chance(0.6) ? nearby(rng, a) : String(numberWithDigits(rng, rng.int(2, 4)));
    } else {
      const whole = String(rng.int(0, 99));
      a = `${whole}.${fraction(rng)}`;
      b = `${rng.chance(0.75) ? whole : String(rng.int(0, 99))}.${fraction(rng)}`;
    }
    if (a !== b) return rng.chance(0.5) ? [a, b] : [b, a];
  }
}

export const compareTask: TaskGenerator = {
  name: 'compare',
  category: 'comparison',
  summary: 'Which of two numbers (integers or decimals) is larger',
  generate(rng, difficulty) {
    const [a, b] = pair(rng, difficulty);
    const [ia, fa = ''] = a.split('.');
    const [ib, fb = ''] = b.split('.');
    const steps: GeneratedStep[] = [];
    let sign: number;
    if (ia.length !== ib.length) {
      sign = Math.sign(ia.length - ib.length);
      steps.push({ type: 'compare', content: `Integer parts: ${ia} has ${ia.length} digit${ia.length > 1 ? 's' : ''}, ${ib} has ${ib.length}, so ${ia}${sign < 0 ? '<' : '>'}${ib}` });
    } else {
      const w = digitWalk(ia, ib);
      sign = w.sign;
      steps.push({ type: 'compare', content: sign === 0 ? `Integer parts are equal: ${ia}` : `Integer parts ${ia} and ${ib}, left to right: ${w.walk}` });
    }
    if (sign === 0) {
      const width = Math.max(fa.length, fb.length);
      const pa = fa.padEnd(width, '0');
      const pb = fb.padEnd(width, '0');
      steps.push({ type: 'compare', content: `Decimal parts padded to ${width} digit${width > 1 ? 's' : ''}: .${pa} and .${pb}` });
      const w = digitWalk(pa, pb);
      sign = w.sign;
      steps.push({ type: 'compare', content: `Left to right: ${w.walk}` });
    }
    const larger = sign > 0 ? a : b;
    steps.push({ type: 'result', content: `${a}${sign > 0 ? '>' : '<'}${b}, so the larger is ${larger}` });
    return { prompt: `Which number is larger: ${a} or ${b}?`, steps, finalAnswer: larger };
  },
};
