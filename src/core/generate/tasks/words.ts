// Words for the string tasks, grouped by length, plus random lowercase strings for the
// hard problems (so those cannot be memorised from a word list).
import type { Rng } from '../prng';
import type { Difficulty } from '../types';

const WORDS = (
  'cat dog sun map cup red box key owl pen ' +
  'tree fish bird rain snow lamp door milk ship moon star road wolf frog gold ' +
  'apple river house table plant cloud stone bread chair light ocean tiger zebra lemon ' +
  'reason planet garden silver rocket window orange pocket bridge castle forest jungle ' +
  'balloon cabinet freedom harvest journey lantern mystery thunder volcano whisper ' +
  'elephant mountain notebook sandwich strawberry butterfly chocolate telescope umbrella ' +
  'adventure invisible wonderful pineapple crocodile raspberry microscope helicopter'
).split(' ');

const LENGTHS: Record<Difficulty, [number, number]> = { easy: [3, 5], medium: [6, 10], hard: [10, 16] };

/**
 * Easy and medium: mostly a real word, sometimes a random string of the same length (the
 * word list alone would run out of distinct prompts). Hard: always a random string.
 */
export function pickWord(rng: Rng, difficulty: Difficulty): string {
  const [lo, hi] = LENGTHS[difficulty];
  if (difficulty === 'hard' || rng.chance(0.3)) {
    const length = rng.int(lo, hi);
    let s = '';
    for (let i = 0; i < length; i++) s += String.fromCharCode(97 + rng.int(0, 25));
    return s;
  }
  const fitting = WORDS.filter((w) => w.length >= lo && w.length <= hi);
  return rng.pick(fitting);
}
