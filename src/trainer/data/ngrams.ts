// Bag-of-n-grams features for the observer classifier: character n-grams and word n-grams of
// the lower-cased text, weighted log(1 + count) x idf and L2-normalised. The vocabulary (the
// n-grams seen in most train documents) is saved with the model.
import { dataError } from '../errors';

export const FEATURES_FORMAT = 'tunix-ngram-features';

export interface NgramOptions {
  charNgrams: [number, number];
  wordNgrams: [number, number];
  maxFeatures: number;
}

export interface FeaturesJson {
  format: typeof FEATURES_FORMAT;
  version: 1;
  char_ngrams: [number, number];
  word_ngrams: [number, number];
  features: string[];
  idf: number[];
}

export interface SparseVector {
  indices: number[];
  values: number[];
}

/** Counts of the n-grams of one text; keys are "c:<chars>" and "w:<words>". */
export function ngramCounts(text: string, charNgrams: [number, number], wordNgrams: [number, number]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const lower = text.toLowerCase();
  const chars = [...lower];
  for (let n = Math.max(1, charNgrams[0]); n <= charNgrams[1]; n++) {
    for (let i = 0; i + n <= chars.length; i++) add(`c:${chars.slice(i, i + n).join('')}`);
  }
  const words = lower.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  for (let n = Math.max(1, wordNgrams[0]); n <= wordNgrams[1]; n++) {
    for (let i = 0; i + n <= words.length; i++) add(`w:${words.slice(i, i + n).join(' ')}`);
  }
  return counts;
}

export class NgramFeaturizer {
  private readonly index: Map<string, number>;

  private constructor(
    readonly options: NgramOptions,
    readonly features: string[],
    readonly idf: Float32Array,
  ) {
    this.index = new Map(features.map((f, i) => [f, i]));
  }

  /** Keeps the `maxFeatures` n-grams found in the most documents (ties in code-point order). */
  static fit(texts: readonly string[], options: NgramOptions): NgramFeaturizer {
    const df = new Map<string, number>();
    for (const text of texts) for (const key of ngramCounts(text, options.charNgrams, options.wordNgrams).keys()) df.set(key, (df.get(key) ?? 0) + 1);
    const kept = [...df.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, options.maxFeatures);
    const n = texts.length;
    const idf = Float32Array.from(kept, ([, d]) => Math.log((1 + n) / (1 + d)) + 1);
    return new NgramFeaturizer(options, kept.map(([k]) => k), idf);
  }

  static fromJson(json: unknown, where = 'features.json'): NgramFeaturizer {
    const j = json as Partial<FeaturesJson> | null;
    if (!j || j.format !== FEATURES_FORMAT || j.version !== 1 || !Array.isArray(j.features) || !Array.isArray(j.idf) || j.features.length !== j.idf.length) {
      throw dataError(`${where} is not a ${FEATURES_FORMAT} v1 file.`);
    }
    return new NgramFeaturizer({ charNgrams: j.char_ngrams!, wordNgrams: j.word_ngrams!, maxFeatures: j.features.length }, j.features, Float32Array.from(j.idf));
  }

  toJson(): FeaturesJson {
    return { format: FEATURES_FORMAT, version: 1, char_ngrams: this.options.charNgrams, word_ngrams: this.options.wordNgrams, features: this.features, idf: Array.from(this.idf) };
  }

  get size(): number {
    return this.features.length;
  }

  transform(text: string): SparseVector {
    const indices: number[] = [];
    const values: number[] = [];
    for (const [key, count] of ngramCounts(text, this.options.charNgrams, this.options.wordNgrams)) {
      const i = this.index.get(key);
      if (i === undefined) continue;
      indices.push(i);
      values.push(Math.log1p(count) * this.idf[i]);
    }
    const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) || 1;
    return { indices, values: values.map((v) => v / norm) };
  }
}

/** Rows of sparse vectors as one dense row-major [rows, size] array. */
export function densify(rows: readonly SparseVector[], size: number): Float32Array {
  const out = new Float32Array(rows.length * size);
  rows.forEach((r, b) => r.indices.forEach((i, k) => (out[b * size + i] = r.values[k])));
  return out;
}
