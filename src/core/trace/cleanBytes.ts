/**
 * The fast path of validating a JSONL file: proves from a line's UTF-8 bytes that it is a
 * trace with no problem at all (no error, no warning) and computes its duplicate
 * fingerprint, without decoding the line to a string or building any object.
 *
 * It is a one-pass scanner specialized to the trace schema. It answers only "clean" or
 * "not sure": anything unusual (a syntax error, an unknown or repeated key, a limit reached,
 * an escape where a comparison on raw bytes would not be exact, steps out of index order,
 * an answer no step mentions byte for byte...) returns false, and the caller sends the line
 * through the full validator (checkLine), which decides and places every problem exactly.
 * So it may refuse a clean line (costing only speed) but must never accept a line that
 * checkLine would flag; test/unit/trace/cleanBytes.test.ts checks that differentially.
 *
 * The fingerprint it writes to `lanes` equals traceKeyLanes() of the parsed record (same
 * UTF-16 code units in the same order), so lines taken by either path find each other as
 * duplicates.
 *
 * The caller guarantees the bytes are valid UTF-8 (validateTraceFile checks each chunk).
 */
import { lanes } from './hash';
import { TRACE_LIMITS as L } from './types';

// Byte classes inside a JSON string.
const PLAIN = 0;
const QUOTE = 1;
const BACKSLASH = 2;
const CONTROL = 3; // < 0x20: not allowed raw in a JSON string
const HIGH = 4; // a byte of a multi-byte UTF-8 character
const STRING_CLASS = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) STRING_CLASS[b] = CONTROL;
for (let b = 0x80; b < 0x100; b++) STRING_CLASS[b] = HIGH;
STRING_CLASS[0x22] = QUOTE;
STRING_CLASS[0x5c] = BACKSLASH;

/** Flags of the last scanned string. */
const ESCAPED = 1;
const NON_ASCII = 2;

// Top-level fields seen (a repeated key is left to checkLine, which knows JSON.parse keeps the last).
const F_VERSION = 1;
const F_PROMPT = 2;
const F_ANSWER = 4;
const F_STEPS = 8;
const F_META = 16;
const F_ID = 32;
const REQUIRED = F_VERSION | F_PROMPT | F_ANSWER | F_STEPS;

/** Deeper `meta` values are left to checkLine (bounds this scanner's recursion). */
const MAX_META_DEPTH = 64;

// Scanner state: module-level so the hot path allocates nothing and passes no closures.
let b: Uint8Array = new Uint8Array(0);
let pos = 0;
let end = 0;
let strStart = 0; // first byte after the opening quote of the last string
let strEnd = 0; // its closing quote
let strFlags = 0;

// Spans of the strings the fingerprint and the answer check need.
let promptStart = 0;
let promptEnd = 0;
let promptFlags = 0;
let answerStart = 0;
let answerEnd = 0;
let answerFlags = 0;
let stepCount = 0;
const contentStart = new Int32Array(L.steps.max);
const contentEnd = new Int32Array(L.steps.max);
const contentFlags = new Uint8Array(L.steps.max);
const typeStart = new Int32Array(L.steps.max);
const typeEnd = new Int32Array(L.steps.max);
const typeFlags = new Uint8Array(L.steps.max);
const stepIndex = new Float64Array(L.steps.max);

/** Where the last accepted line's record ends (its LF, or `to` for a last line without one). */
export let cleanLineEnd = 0;

/**
 * True when bytes[from..) up to the next LF (or `to`) is a trace line without any problem;
 * its fingerprint is then in `lanes` and its end in `cleanLineEnd`. False: not decided here.
 */
export function isCleanTraceLine(bytes: Uint8Array, from: number, to: number): boolean {
  b = bytes;
  pos = from;
  end = to;
  keyTop = 0;
  if (!scanRecord()) return false;
  // After the record: spaces, then the line break (a CR just before the LF is part of it).
  skipSpace();
  if (pos < end && b[pos] === 0x0d && (pos + 1 === end || b[pos + 1] === 0x0a)) pos++;
  if (pos < end && b[pos] !== 0x0a) return false;
  if (!answerInSomeStep()) return false;
  cleanLineEnd = pos;
  fingerprint();
  return true;
}

/** Spaces and tabs only: a CR inside a line is a line break for VS Code, and LF ends the line. */
function skipSpace(): void {
  while (pos < end) {
    const c = b[pos];
    if (c !== 0x20 && c !== 0x09) return;
    pos++;
  }
}

function scanRecord(): boolean {
  skipSpace();
  if (pos >= end || b[pos] !== 0x7b /* { */) return false;
  pos++;
  let seen = 0;
  for (;;) {
    skipSpace();
    if (pos >= end || b[pos] !== 0x22 || !scanString() || strFlags & ESCAPED) return false;
    const field = topField(strStart, strEnd - strStart);
    if (field === 0 || seen & field) return false;
    seen |= field;
    skipSpace();
    if (pos >= end || b[pos] !== 0x3a /* : */) return false;
    pos++;
    skipSpace();
    if (pos >= end) return false;
    switch (field) {
      case F_VERSION:
        if (!limitedString(L.traceVersion.max)) return false;
        break;
      case F_PROMPT:
        if (!limitedString(L.prompt.max)) return false;
        promptStart = strStart;
        promptEnd = strEnd;
        promptFlags = strFlags;
        break;
      case F_ANSWER:
        if (!limitedString(L.finalAnswer.max)) return false;
        answerStart = strStart;
        answerEnd = strEnd;
        answerFlags = strFlags;
        break;
      case F_STEPS:
        if (!scanSteps()) return false;
        break;
      case F_META:
        // An object or null; its contents are free-form but must be valid JSON.
        if (b[pos] === 0x6e) {
          if (!literal(0x6e, 0x75, 0x6c, 0x6c)) return false;
        } else if (b[pos] !== 0x7b || !skipValue(1)) return false;
        break;
      default: // F_ID: a non-empty string or null
        if (b[pos] === 0x6e) {
          if (!literal(0x6e, 0x75, 0x6c, 0x6c)) return false;
        } else if (!limitedString(Infinity)) return false;
    }
    skipSpace();
    if (pos >= end) return false;
    const c = b[pos++];
    if (c === 0x7d /* } */) return (seen & REQUIRED) === REQUIRED;
    if (c !== 0x2c /* , */) return false;
  }
}

/** Which top-level field the raw key bytes name (0: none of them). */
function topField(s: number, n: number): number {
  switch (n) {
    case 2:
      return b[s] === 0x69 && b[s + 1] === 0x64 ? F_ID : 0; // id
    case 4:
      return b[s] === 0x6d && b[s + 1] === 0x65 && b[s + 2] === 0x74 && b[s + 3] === 0x61 ? F_META : 0; // meta
    case 5:
      return b[s] === 0x73 && b[s + 1] === 0x74 && b[s + 2] === 0x65 && b[s + 3] === 0x70 && b[s + 4] === 0x73 ? F_STEPS : 0; // steps
    case 6:
      return b[s] === 0x70 && b[s + 1] === 0x72 && b[s + 2] === 0x6f && b[s + 3] === 0x6d && b[s + 4] === 0x70 && b[s + 5] === 0x74 ? F_PROMPT : 0; // prompt
    case 12:
      return bytesEqual(s, FINAL_ANSWER) ? F_ANSWER : 0;
    case 13:
      return bytesEqual(s, TRACE_VERSION) ? F_VERSION : 0;
    default:
      return 0;
  }
}

const FINAL_ANSWER = Uint8Array.from(Buffer.from('final_answer'));
const TRACE_VERSION = Uint8Array.from(Buffer.from('trace_version'));

function bytesEqual(s: number, word: Uint8Array): boolean {
  for (let k = 0; k < word.length; k++) if (b[s + k] !== word[k]) return false;
  return true;
}

/**
 * A string of at least one and at most `max` characters. Raw bytes are never fewer than
 * the characters they encode, so a raw length within the limit proves the decoded one is;
 * a longer raw string is left to checkLine, which counts code points.
 */
function limitedString(max: number): boolean {
  if (b[pos] !== 0x22 || !scanString()) return false;
  const n = strEnd - strStart;
  return n >= 1 && n <= max;
}

/** Scans the string whose opening quote is at `pos`; false when it is not valid JSON. */
function scanString(): boolean {
  let k = pos + 1;
  let flags = 0;
  strStart = k;
  for (;;) {
    let c = PLAIN;
    while (k < end && (c = STRING_CLASS[b[k]]) === PLAIN) k++;
    if (k >= end) return false;
    if (c === QUOTE) break;
    if (c === HIGH) {
      flags |= NON_ASCII;
      k++;
    } else if (c === BACKSLASH) {
      flags |= ESCAPED;
      const e = k + 1 < end ? b[k + 1] : 0;
      if (e === 0x75 /* u */) {
        if (k + 6 > end || hex(b[k + 2]) < 0 || hex(b[k + 3]) < 0 || hex(b[k + 4]) < 0 || hex(b[k + 5]) < 0) return false;
        k += 6;
      } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) k += 2;
      else return false;
    } else return false; // a raw control character
  }
  strEnd = k;
  strFlags = flags;
  pos = k + 1;
  return true;
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function literal(c0: number, c1: number, c2: number, c3: number): boolean {
  if (pos + 4 > end || b[pos] !== c0 || b[pos + 1] !== c1 || b[pos + 2] !== c2 || b[pos + 3] !== c3) return false;
  pos += 4;
  return true;
}

/** A JSON number, strictly by the grammar JSON.parse accepts. */
function skipNumber(): boolean {
  if (b[pos] === 0x2d /* - */) pos++;
  if (pos >= end) return false;
  if (b[pos] === 0x30) pos++;
  else if (b[pos] >= 0x31 && b[pos] <= 0x39) while (pos < end && b[pos] >= 0x30 && b[pos] <= 0x39) pos++;
  else return false;
  if (pos < end && b[pos] === 0x2e /* . */) {
    pos++;
    const digits = pos;
    while (pos < end && b[pos] >= 0x30 && b[pos] <= 0x39) pos++;
    if (pos === digits) return false;
  }
  if (pos < end && (b[pos] === 0x65 || b[pos] === 0x45) /* e E */) {
    pos++;
    if (pos < end && (b[pos] === 0x2b || b[pos] === 0x2d)) pos++;
    const digits = pos;
    while (pos < end && b[pos] >= 0x30 && b[pos] <= 0x39) pos++;
    if (pos === digits) return false;
  }
  return true;
}

// The keys of the `meta` objects being scanned (a stack: nested objects push above their
// parent's keys), so a key repeated in one object (TRC105, which checkLine reports) is refused.
const MAX_OBJECT_KEYS = 64;
const keyStart = new Int32Array(MAX_META_DEPTH * MAX_OBJECT_KEYS);
const keyLength = new Int32Array(MAX_META_DEPTH * MAX_OBJECT_KEYS);
let keyTop = 0;

/**
 * Records the string just scanned as a key of the object whose keys start at `base`; false
 * when it repeats one of them, or when raw bytes cannot decide (an escape, too many keys).
 */
function newKey(base: number): boolean {
  if (strFlags & ESCAPED || keyTop - base >= MAX_OBJECT_KEYS) return false;
  const s = strStart;
  const n = strEnd - strStart;
  for (let k = base; k < keyTop; k++) {
    if (keyLength[k] !== n) continue;
    const t = keyStart[k];
    let j = 0;
    while (j < n && b[s + j] === b[t + j]) j++;
    if (j === n) return false;
  }
  keyStart[keyTop] = s;
  keyLength[keyTop] = n;
  keyTop++;
  return true;
}

/** Any JSON value at `pos` (the free-form `meta`). */
function skipValue(depth: number): boolean {
  if (pos >= end) return false;
  const c = b[pos];
  if (c === 0x22) return scanString();
  if (c === 0x7b || c === 0x5b) {
    if (depth > MAX_META_DEPTH) return false;
    const close = c === 0x7b ? 0x7d : 0x5d;
    pos++;
    skipSpace();
    if (pos < end && b[pos] === close) {
      pos++;
      return true;
    }
    const keysBase = keyTop;
    for (;;) {
      if (c === 0x7b) {
        if (pos >= end || b[pos] !== 0x22 || !scanString() || !newKey(keysBase)) return false;
        skipSpace();
        if (pos >= end || b[pos] !== 0x3a) return false;
        pos++;
        skipSpace();
      }
      if (!skipValue(depth + 1)) return false;
      skipSpace();
      if (pos >= end) return false;
      const d = b[pos++];
      if (d === close) {
        keyTop = keysBase;
        return true;
      }
      if (d !== 0x2c) return false;
      skipSpace();
    }
  }
  if (c === 0x74) return literal(0x74, 0x72, 0x75, 0x65);
  if (c === 0x66) {
    // false: five letters
    if (pos + 5 > end || b[pos + 4] !== 0x65 || !literal(0x66, 0x61, 0x6c, 0x73)) return false;
    pos++;
    return true;
  }
  if (c === 0x6e) return literal(0x6e, 0x75, 0x6c, 0x6c);
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return skipNumber();
  return false;
}

/**
 * The steps array: 1 to max steps, each exactly {i, type, content} in any order, with plain
 * non-negative integer indices in increasing order (anything else goes to checkLine, which
 * reports duplicates and order).
 */
function scanSteps(): boolean {
  if (b[pos] !== 0x5b /* [ */) return false;
  pos++;
  stepCount = 0;
  let prev = -1;
  for (;;) {
    skipSpace();
    if (pos >= end || b[pos] !== 0x7b || stepCount === L.steps.max) return false;
    pos++;
    const k = stepCount++;
    let seen = 0;
    for (;;) {
      skipSpace();
      if (pos + 2 >= end || b[pos] !== 0x22) return false;
      // The three keys, by their raw bytes: "i", "type", "content".
      let key = 0;
      if (b[pos + 1] === 0x69 && b[pos + 2] === 0x22) {
        key = 1;
        pos += 3;
      } else if (pos + 6 < end && b[pos + 1] === 0x74 && b[pos + 2] === 0x79 && b[pos + 3] === 0x70 && b[pos + 4] === 0x65 && b[pos + 5] === 0x22) {
        key = 2;
        pos += 6;
      } else if (
        pos + 9 < end &&
        b[pos + 1] === 0x63 &&
        b[pos + 2] === 0x6f &&
        b[pos + 3] === 0x6e &&
        b[pos + 4] === 0x74 &&
        b[pos + 5] === 0x65 &&
        b[pos + 6] === 0x6e &&
        b[pos + 7] === 0x74 &&
        b[pos + 8] === 0x22
      ) {
        key = 4;
        pos += 9;
      } else return false;
      if (seen & key) return false;
      seen |= key;
      skipSpace();
      if (pos >= end || b[pos] !== 0x3a) return false;
      pos++;
      skipSpace();
      if (pos >= end) return false;
      if (key === 1) {
        // Digits only, no leading zero, at most 15 of them: a safe integer >= 0 exactly.
        const s = pos;
        let i = 0;
        while (pos < end && b[pos] >= 0x30 && b[pos] <= 0x39) i = i * 10 + (b[pos++] - 0x30);
        const n = pos - s;
        if (n === 0 || n > 15 || (n > 1 && b[s] === 0x30)) return false;
        if (pos < end && (b[pos] === 0x2e || b[pos] === 0x65 || b[pos] === 0x45)) return false;
        if (i <= prev) return false;
        prev = i;
        stepIndex[k] = i;
      } else if (key === 2) {
        if (!limitedString(L.stepType.max)) return false;
        typeStart[k] = strStart;
        typeEnd[k] = strEnd;
        typeFlags[k] = strFlags;
      } else {
        if (!limitedString(L.stepContent.max)) return false;
        contentStart[k] = strStart;
        contentEnd[k] = strEnd;
        contentFlags[k] = strFlags;
      }
      skipSpace();
      if (pos >= end) return false;
      const c = b[pos++];
      if (c === 0x7d) break;
      if (c !== 0x2c) return false;
    }
    if (seen !== 7) return false;
    skipSpace();
    if (pos >= end) return false;
    const c = b[pos++];
    if (c === 0x5d /* ] */) return true;
    if (c !== 0x2c) return false;
  }
}

/**
 * Whether some step's content contains the final answer byte for byte (UTF-8 substrings
 * match exactly where the decoded strings do). Escaped strings are not compared raw (an
 * escape's bytes are not its character), and the search has a work budget: in both cases
 * the line goes to checkLine, which also tries the case-insensitive match.
 */
function answerInSomeStep(): boolean {
  if (answerFlags & ESCAPED) return false;
  const n = answerEnd - answerStart;
  const first = b[answerStart];
  let budget = 64 * (end - answerStart) + 4096;
  for (let s = stepCount - 1; s >= 0; s--) {
    if (contentFlags[s] & ESCAPED) continue;
    const last = contentEnd[s] - n;
    for (let k = contentStart[s]; k <= last; k++) {
      if (b[k] !== first) continue;
      let j = 1;
      while (j < n && b[k + j] === b[answerStart + j]) j++;
      if (j === n) return true;
      budget -= j;
      if (budget < 0) return false;
    }
  }
  return false;
}

// The fingerprint, as traceKeyLanes computes it from the decoded strings.
let h1 = 0;
let h2 = 0;

function fingerprint(): void {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  hashString(promptStart, promptEnd, promptFlags);
  hashString(answerStart, answerEnd, answerFlags);
  for (let k = 0; k < stepCount; k++) {
    hashString(contentStart[k], contentEnd[k], contentFlags[k]);
    hashString(typeStart[k], typeEnd[k], typeFlags[k]);
    const i = stepIndex[k];
    h1 = Math.imul(h1 ^ (i | 0), 2654435761);
    h2 = Math.imul(h2 ^ Math.floor(i / 4294967296), 1597334677);
  }
  let x = h1;
  let y = h2;
  x = Math.imul(x ^ (x >>> 16), 2246822507) ^ Math.imul(y ^ (y >>> 13), 3266489909);
  y = Math.imul(y ^ (y >>> 16), 2246822507) ^ Math.imul(x ^ (x >>> 13), 3266489909);
  lanes[0] = x;
  lanes[1] = y;
}

/** Mixes one string's UTF-16 code units, two per word, then its length (see traceKeyLanes). */
function hashString(s: number, e: number, flags: number): void {
  if (flags === 0) {
    // ASCII without escapes: each byte is one code unit.
    let x = h1;
    let y = h2;
    let k = s;
    for (; k + 1 < e; k += 2) {
      const w = b[k] | (b[k + 1] << 16);
      x = Math.imul(x ^ w, 2654435761);
      y = Math.imul(y ^ w, 1597334677);
    }
    const tail = (k < e ? b[k] : 0xffff) ^ Math.imul(e - s, 0x9e3779b1);
    h1 = Math.imul(x ^ tail, 2654435761);
    h2 = Math.imul(y ^ tail, 1597334677);
    return;
  }
  hashDecoded(s, e);
}

let pending = -1;
let units = 0;

function unit(u: number): void {
  if (pending < 0) pending = u;
  else {
    const w = pending | (u << 16);
    h1 = Math.imul(h1 ^ w, 2654435761);
    h2 = Math.imul(h2 ^ w, 1597334677);
    pending = -1;
  }
  units++;
}

/** The general case: decodes escapes and UTF-8 to UTF-16 code units as JSON.parse would. */
function hashDecoded(s: number, e: number): void {
  pending = -1;
  units = 0;
  let k = s;
  while (k < e) {
    const c = b[k];
    if (c === 0x5c) {
      const t = b[k + 1];
      if (t === 0x75) {
        unit((hex(b[k + 2]) << 12) | (hex(b[k + 3]) << 8) | (hex(b[k + 4]) << 4) | hex(b[k + 5]));
        k += 6;
        continue;
      }
      unit(t === 0x62 ? 0x08 : t === 0x66 ? 0x0c : t === 0x6e ? 0x0a : t === 0x72 ? 0x0d : t === 0x74 ? 0x09 : t);
      k += 2;
    } else if (c < 0x80) {
      unit(c);
      k++;
    } else if (c < 0xe0) {
      unit(((c & 0x1f) << 6) | (b[k + 1] & 0x3f));
      k += 2;
    } else if (c < 0xf0) {
      unit(((c & 0x0f) << 12) | ((b[k + 1] & 0x3f) << 6) | (b[k + 2] & 0x3f));
      k += 3;
    } else {
      const cp = (((c & 0x07) << 18) | ((b[k + 1] & 0x3f) << 12) | ((b[k + 2] & 0x3f) << 6) | (b[k + 3] & 0x3f)) - 0x10000;
      unit(0xd800 | (cp >> 10));
      unit(0xdc00 | (cp & 0x3ff));
      k += 4;
    }
  }
  const tail = (pending >= 0 ? pending : 0xffff) ^ Math.imul(units, 0x9e3779b1);
  h1 = Math.imul(h1 ^ tail, 2654435761);
  h2 = Math.imul(h2 ^ tail, 1597334677);
}
