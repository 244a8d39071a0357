// Helpers shared by the arithmetic tasks: numbers of a given length and their digits.
import type { Rng } from '../prng';

/** A random integer with exactly `digits` digits (1-digit numbers are 1..9, never 0). */
export function numberWithDigits(rng: Rng, digits: number): number {
  if (digits === 1) return rng.int(1, 9);
  return rng.int(10 ** (digits - 1), 10 ** digits - 1);
}

/** The digit of `n` at position `place` counted from the ones column (0 = ones). */
export function digitAt(n: number, place: number): number {
  return Math.floor(n / 10 ** place) % 10;
}

export function digitCount(n: number): number {
  return String(Math.abs(n)).length;
}

const PLACE_NAMES = ['ones', 'tens', 'hundreds', 'thousands', 'ten-thousands', 'hundred-thousands', 'millions'];

export function placeName(place: number): string {
  return PLACE_NAMES[place] ?? `10^${place}`;
}
