/**
 * Content identity of a trace. `contentHash` is the stable sha256 the store keys
 * deduplication on; `traceKey` is a fast non-cryptographic fingerprint of the same content
 * used to spot a trace repeated within one file while validating (sha256 per line would
 * cost as much as parsing the line).
 */
import { createHash } from 'node:crypto';
import type { TraceRecord } from './types';

/**
 * sha256 (hex) of the canonical form of a trace's content: the UTF-8 bytes of
 * `JSON.stringify({prompt, steps: [{i, type, content}, ...], final_answer})`, keys in that
 * order, steps in stored order. trace_version, meta and id are not content: the same
 * reasoning re-exported with other metadata hashes the same.
 */
export function contentHash(record: Pick<TraceRecord, 'prompt' | 'steps' | 'final_answer'>): string {
  const canonical = JSON.stringify({
    prompt: record.prompt,
    steps: record.steps.map((s) => ({ i: s.i, type: s.type, content: s.content })),
    final_answer: record.final_answer,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The two 32-bit lanes of the last traceKeyLanes call (no allocation per record). */
export const lanes = new Uint32Array(2);

/**
 * A 64-bit fingerprint (two 32-bit lanes, cyrb53-style mixing) of the content contentHash
 * covers, written to `lanes`. Two different traces share one with probability ~2^-64 per
 * pair; it only decides a warning, never what is stored.
 */
export function traceKeyLanes(record: Pick<TraceRecord, 'prompt' | 'steps' | 'final_answer'>): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const steps = record.steps;
  // Two UTF-16 units per multiply (one 32-bit word); each string ends with a word mixing in
  // its length, so the sequence of strings is unambiguous: ("ab","c") != ("a","bc").
  for (let part = -2; part < steps.length * 2; part++) {
    const s = part === -2 ? record.prompt : part === -1 ? record.final_answer : (part & 1) === 0 ? steps[part >> 1].content : steps[part >> 1].type;
    const n = s.length;
    let k = 0;
    for (; k + 1 < n; k += 2) {
      const w = s.charCodeAt(k) | (s.charCodeAt(k + 1) << 16);
      h1 = Math.imul(h1 ^ w, 2654435761);
      h2 = Math.imul(h2 ^ w, 1597334677);
    }
    // The tail (0 or 1 unit) with the string's length: the length makes every string's
    // encoding self-delimiting.
    const tail = (k < n ? s.charCodeAt(k) : 0xffff) ^ Math.imul(n, 0x9e3779b1);
    h1 = Math.imul(h1 ^ tail, 2654435761);
    h2 = Math.imul(h2 ^ tail, 1597334677);
    if (part >= 0 && (part & 1) === 1) {
      // After a step's type, its index (a safe integer) in two halves.
      const i = steps[part >> 1].i;
      h1 = Math.imul(h1 ^ (i | 0), 2654435761);
      h2 = Math.imul(h2 ^ Math.floor(i / 4294967296), 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  lanes[0] = h1;
  lanes[1] = h2;
}

/** traceKeyLanes as one number (53 of the 64 bits), for callers that want a value. */
export function traceKey(record: Pick<TraceRecord, 'prompt' | 'steps' | 'final_answer'>): number {
  traceKeyLanes(record);
  return 4294967296 * (2097151 & lanes[1]) + lanes[0];
}

/**
 * Remembers the first line of each fingerprint: an open-addressing table in typed arrays,
 * so a file of millions of records costs neither a Map entry nor a heap number per record.
 */
export class FirstLineByKey {
  private k1: Uint32Array;
  private k2: Uint32Array;
  private line: Int32Array; // 0 = empty slot (lines are 1-based)
  private size = 0;

  /** `expected`: about how many keys will be added (sizes the table once). */
  constructor(expected = 2048) {
    let cap = 1 << 12;
    while (cap < expected * 2) cap *= 2;
    this.k1 = new Uint32Array(cap);
    this.k2 = new Uint32Array(cap);
    this.line = new Int32Array(cap);
  }

  /** Returns the first line with the fingerprint in `lanes`, or records `at` and returns 0. */
  firstOr(at: number): number {
    return this.insert(lanes[0], lanes[1], at);
  }

  /** Empties the table, keeping its memory (the editor's engine reuses one per document). */
  clear(expected = 0): void {
    if (expected * 2 > this.line.length) {
      let cap = this.line.length;
      while (cap < expected * 2) cap *= 2;
      this.k1 = new Uint32Array(cap);
      this.k2 = new Uint32Array(cap);
      this.line = new Int32Array(cap);
    } else this.line.fill(0);
    this.size = 0;
  }

  private insert(a: number, b: number, at: number): number {
    if (this.size * 2 >= this.line.length) this.grow();
    const mask = this.line.length - 1;
    let slot = (a ^ (b * 31)) & mask;
    for (;;) {
      const l = this.line[slot];
      if (l === 0) {
        this.k1[slot] = a;
        this.k2[slot] = b;
        this.line[slot] = at;
        this.size++;
        return 0;
      }
      if (this.k1[slot] === a && this.k2[slot] === b) return l;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { k1, k2, line } = this;
    const cap = line.length * 2;
    this.k1 = new Uint32Array(cap);
    this.k2 = new Uint32Array(cap);
    this.line = new Int32Array(cap);
    this.size = 0;
    for (let s = 0; s < line.length; s++) {
      if (line[s] !== 0) this.insert(k1[s], k2[s], line[s]);
    }
  }
}
