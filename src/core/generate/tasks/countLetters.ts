// Letter counting: every position is spelled out, the matching positions named, then counted.
import type { TaskGenerator } from '../types';
import { pickWord } from './words';

export const countLettersTask: TaskGenerator = {
  name: 'count_letters',
  category: 'string',
  summary: 'Count how often a letter appears in a word',
  generate(rng, difficulty) {
    const word = pickWord(rng, difficulty);
    const chars = [...word];
    // Mostly a letter that is present (a repeated one when there is one), sometimes one that is not.
    const absent = 'abcdefghijklmnopqrstuvwxyz'.split('').filter((c) => !word.includes(c));
    const repeated = chars.filter((c, i) => chars.indexOf(c) !== i);
    const letter = absent.length && rng.chance(0.15) ? rng.pick(absent) : repeated.length && rng.chance(0.6) ? rng.pick(repeated) : rng.pick(chars);
    const positions = chars.flatMap((c, i) => (c === letter ? [i + 1] : []));
    return {
      prompt: `How many times does the letter '${letter}' appear in '${word}'?`,
      steps: [
        { type: 'process', content: `Spell it: ${chars.map((c, i) => `${i + 1}:${c}`).join(' ')}` },
        { type: 'process', content: positions.length ? `'${letter}' at position${positions.length > 1 ? 's' : ''} ${positions.join(', ')}` : `'${letter}' does not appear` },
        { type: 'result', content: `Count: ${positions.length}` },
      ],
      finalAnswer: String(positions.length),
    };
  },
};
