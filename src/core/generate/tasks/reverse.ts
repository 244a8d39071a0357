// String reversal, in tunix-rt's prompt form ("Reverse the string: 'reason'"), with the
// characters listed and then read back from the last to the first.
import type { TaskGenerator } from '../types';
import { pickWord } from './words';

export const reverseTask: TaskGenerator = {
  name: 'reverse',
  category: 'string',
  summary: 'Reverse a string, character by character',
  generate(rng, difficulty) {
    const word = pickWord(rng, difficulty);
    const chars = [...word];
    const reversed = chars.slice().reverse();
    return {
      prompt: `Reverse the string: '${word}'`,
      steps: [
        { type: 'process', content: `Characters: ${chars.join(' ')}` },
        { type: 'process', content: `From last to first: ${reversed.join(' ')}` },
        { type: 'result', content: `Reversed: '${reversed.join('')}'` },
      ],
      finalAnswer: reversed.join(''),
    };
  },
};
