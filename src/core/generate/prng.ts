// A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32), so
// generated traces and random dataset selections are identical for the same seed on every
// machine and Node version (Math.random cannot be seeded).

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Shuffles a copy (Fisher-Yates); the input is left as it was. */
  shuffled<T>(items: readonly T[]): T[];
  chance(probability: number): boolean;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** Creates a generator from any safe integer seed (negative and >32-bit seeds included). */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`A seed must be a safe integer, got ${seed}.`);
  // Both halves of the seed take part, so seeds that differ only above bit 32 differ.
  const low = seed >>> 0;
  const high = Math.floor(seed / 2 ** 32) >>> 0;
  const mix = splitmix32(low ^ Math.imul(high, 0x27d4eb2d));
  let a = mix(), b = mix(), c = mix(), d = mix();
  if ((a | b | c | d) === 0) a = 1; // the all-zero state would repeat zeros forever

  const nextU32 = () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };

  const rng: Rng = {
    next: () => nextU32() / 2 ** 32,
    int(min, max) {
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new RangeError(`Bad integer range [${min}, ${max}].`);
      return min + Math.floor(rng.next() * (max - min + 1));
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('Cannot pick from an empty list.');
      return items[Math.floor(rng.next() * items.length)];
    },
    shuffled(items) {
      const copy = items.slice();
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy;
    },
    chance: (probability) => rng.next() < probability,
  };
  return rng;
}
