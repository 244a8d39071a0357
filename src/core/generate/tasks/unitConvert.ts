// Unit conversion with exact decimals: the factor is stated, then the multiplication (to a
// smaller unit) or division (to a larger one) is written out.
import type { Rng } from '../prng';
import type { Difficulty, TaskGenerator } from '../types';
import { divide, formatDecimal, multiply, parseDecimal } from './decimal';

interface Conversion {
  from: string;
  to: string;
  /** How many `to` units make one `from` unit (from is the larger unit). */
  factor: number;
}

const CONVERSIONS: Conversion[] = [
  { from: 'km', to: 'm', factor: 1000 },
  { from: 'm', to: 'cm', factor: 100 },
  { from: 'cm', to: 'mm', factor: 10 },
  { from: 'm', to: 'mm', factor: 1000 },
  { from: 'kg', to: 'g', factor: 1000 },
  { from: 'g', to: 'mg', factor: 1000 },
  { from: 'L', to: 'mL', factor: 1000 },
  { from: 'h', to: 'min', factor: 60 },
  { from: 'min', to: 's', factor: 60 },
  { from: 'h', to: 's', factor: 3600 },
  { from: 'day', to: 'h', factor: 24 },
];

function amount(rng: Rng, difficulty: Difficulty): string {
  if (difficulty === 'easy') return String(rng.int(1, 99));
  if (rng.chance(0.5)) return String(rng.int(2, 500));
  return `${rng.int(0, 99)}.${rng.int(1, 9)}`;
}

export const unitConvertTask: TaskGenerator = {
  name: 'unit_convert',
  category: 'conversion',
  summary: 'Convert between metric and time units, with exact decimals',
  generate(rng, difficulty) {
    const conversion = rng.pick(CONVERSIONS);
    const factor = BigInt(conversion.factor);
    // Easy and medium go to the smaller unit (multiply); hard also goes up (divide).
    if (difficulty === 'hard' && rng.chance(0.5)) {
      // Choose a value whose quotient has at most 3 decimals, so the answer stays readable.
      for (;;) {
        const value = parseDecimal(amount(rng, 'medium'));
        const big = multiply(value, BigInt(rng.int(1, 9)));
        const quotient = divide(big, factor, 4);
        if (!quotient) continue;
        const given = formatDecimal(big);
        const answer = formatDecimal(quotient);
        return {
          prompt: `Convert ${given} ${conversion.to} to ${conversion.from}.`,
          steps: [
            { type: 'fact', content: `1 ${conversion.from} = ${conversion.factor} ${conversion.to}, so divide by ${conversion.factor}` },
            { type: 'compute', content: `${given}/${conversion.factor}=${answer}` },
            { type: 'result', content: `${given} ${conversion.to} = ${answer} ${conversion.from}` },
          ],
          finalAnswer: `${answer} ${conversion.from}`,
        };
      }
    }
    const given = amount(rng, difficulty);
    const answer = formatDecimal(multiply(parseDecimal(given), factor));
    return {
      prompt: `Convert ${given} ${conversion.from} to ${conversion.to}.`,
      steps: [
        { type: 'fact', content: `1 ${conversion.from} = ${conversion.factor} ${conversion.to}, so multiply by ${conversion.factor}` },
        { type: 'compute', content: `${given}*${conversion.factor}=${answer}` },
        { type: 'result', content: `${given} ${conversion.from} = ${answer} ${conversion.to}` },
      ],
      finalAnswer: `${answer} ${conversion.to}`,
    };
  },
};
