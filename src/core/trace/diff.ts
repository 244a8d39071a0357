// Differences between two traces, for the side-by-side comparison: a word-level diff of the
// prompt, the final answer and each step's content, and an alignment of the two step lists
// (identical steps anchor the alignment; the steps between anchors are paired by similarity).
// Everything here is pure and bounded: inputs of the schema's maximum size (50,000-char
// prompts, 1,000 steps) finish in well under a second, degrading to a coarser diff (marked
// `exact: false`) rather than taking quadratic time.
import type { TraceStep } from './types';

export type DiffKind = 'equal' | 'added' | 'removed';

/** A run of text that is the same on both sides, only on the right (added) or only on the left (removed). */
export interface DiffSegment {
  kind: DiffKind;
  text: string;
}

export interface TextDiff {
  segments: DiffSegment[];
  /** False when both texts are identical. */
  changed: boolean;
  /** False when the texts differed too much for a word diff and a line (or whole-text) diff was used instead. */
  exact: boolean;
  /** Share of tokens the two sides have in common, 0..1 (1 when identical, also for two empty texts). */
  similarity: number;
}

export interface DiffOptions {
  /** Most edits (inserted + deleted tokens) the word diff explores before degrading to lines. */
  maxEdits?: number;
}

const DEFAULT_MAX_EDITS = 2_000;

/**
 * Splits text into words, runs of whitespace and single punctuation marks. Joining the
 * tokens gives back the text exactly, so a diff of tokens renders back into the texts.
 */
export function tokenize(text: string): string[] {
  return text.match(/\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
}

/** A word-level diff of two texts. */
export function diffWords(left: string, right: string, options: DiffOptions = {}): TextDiff {
  if (left === right) {
    return { segments: left ? [{ kind: 'equal', text: left }] : [], changed: false, exact: true, similarity: 1 };
  }
  const maxEdits = options.maxEdits ?? DEFAULT_MAX_EDITS;
  const a = tokenize(left);
  const b = tokenize(right);
  let ops = diffSequences(a, b, maxEdits);
  let exact = true;
  let unitsA = a;
  let unitsB = b;
  if (!ops) {
    // Too different for a word diff within the budget: compare whole lines, which are far fewer.
    exact = false;
    unitsA = splitLines(left);
    unitsB = splitLines(right);
    ops = diffSequences(unitsA, unitsB, maxEdits);
  }
  if (!ops) {
    unitsA = [left];
    unitsB = [right];
    ops = [
      { kind: 'removed', from: 0, to: 1 },
      { kind: 'added', from: 0, to: 1 },
    ];
  }
  const segments = cleanupSegments(renderOps(ops, unitsA, unitsB));
  return { segments, changed: true, exact, similarity: similarityOf(segments, a.length + b.length) };
}

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

interface Op {
  kind: DiffKind;
  /** Index range in the left sequence (equal, removed) or the right one (added). */
  from: number;
  to: number;
}

/**
 * Myers' O(ND) diff of two sequences, as runs of equal / removed / added items in order.
 * Returns undefined when more than `maxEdits` edits would be needed. Common prefix and
 * suffix are stripped first (the usual case: two traces that differ in a few places).
 */
export function diffSequences<T>(a: readonly T[], b: readonly T[], maxEdits = DEFAULT_MAX_EDITS): Op[] | undefined {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const n = a.length - prefix - suffix;
  const m = b.length - prefix - suffix;
  const ops: Op[] = [];
  if (prefix) ops.push({ kind: 'equal', from: 0, to: prefix });
  if (n === 0 && m > 0) ops.push({ kind: 'added', from: prefix, to: prefix + m });
  else if (m === 0 && n > 0) ops.push({ kind: 'removed', from: prefix, to: prefix + n });
  else if (n > 0 && m > 0) {
    // Items compare by identity; intern them as integers so the inner loop compares numbers.
    const ids = new Map<T, number>();
    const intern = (x: T) => {
      let id = ids.get(x);
      if (id === undefined) ids.set(x, (id = ids.size));
      return id;
    };
    const ia = Int32Array.from({ length: n }, (_, k) => intern(a[prefix + k]));
    const ib = Int32Array.from({ length: m }, (_, k) => intern(b[prefix + k]));
    const middle = myers(ia, ib, maxEdits);
    if (!middle) return undefined;
    for (const op of middle) {
      ops.push({ kind: op.kind, from: op.from + prefix, to: op.to + prefix });
    }
  }
  if (suffix) ops.push({ kind: 'equal', from: a.length - suffix, to: a.length });
  return mergeOps(ops);
}

function myers(a: Int32Array, b: Int32Array, maxEdits: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds the furthest-reaching x for diagonals -d..d after d edits.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(offset - d, offset + d + 1));
        return backtrack(trace, n, m);
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  return undefined;
}

function backtrack(trace: Int32Array[], n: number, m: number): Op[] {
  const reversed: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1];
    const at = (k: number) => prev[k + (d - 1)];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    // The snake after the edit: equal items from startX to x on the left.
    const startX = down ? prevX : prevX + 1;
    if (x > startX) reversed.push({ kind: 'equal', from: startX, to: x });
    if (down) reversed.push({ kind: 'added', from: prevY, to: prevY + 1 });
    else reversed.push({ kind: 'removed', from: prevX, to: prevX + 1 });
    x = prevX;
    y = prevY;
  }
  if (x > 0) reversed.push({ kind: 'equal', from: 0, to: x });
  return mergeOps(reversed.reverse());
}

function mergeOps(ops: Op[]): Op[] {
  const out: Op[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (last && last.kind === op.kind && last.to === op.from) last.to = op.to;
    else out.push({ ...op });
  }
  return out;
}

function renderOps(ops: Op[], a: readonly string[], b: readonly string[]): DiffSegment[] {
  return ops.map((op) => ({ kind: op.kind, text: (op.kind === 'added' ? b : a).slice(op.from, op.to).join('') }));
}

/**
 * Makes the diff read the way a person would describe the change: within a changed region,
 * the equal bits that are only whitespace or a single punctuation mark are folded into the
 * change, so "the quick fox" -> "a slow fox" shows "the quick" replaced by "a slow" instead of
 * an alternation of one-word changes around a kept space. Removed text comes before added.
 */
function cleanupSegments(segments: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  let removed = '';
  let added = '';
  const flushChange = () => {
    if (removed) out.push({ kind: 'removed', text: removed });
    if (added) out.push({ kind: 'added', text: added });
    removed = added = '';
  };
  const pushEqual = (text: string) => {
    const last = out[out.length - 1];
    if (last?.kind === 'equal') last.text += text;
    else out.push({ kind: 'equal', text });
  };
  for (let idx = 0; idx < segments.length; idx++) {
    const seg = segments[idx];
    if (seg.kind === 'equal') {
      const inChange = removed !== '' || added !== '';
      const nextIsChange = idx + 1 < segments.length && segments[idx + 1].kind !== 'equal';
      if (inChange && nextIsChange && /^(\s+|[^\s\p{L}\p{N}_])$/u.test(seg.text)) {
        removed += seg.text;
        added += seg.text;
        continue;
      }
      flushChange();
      pushEqual(seg.text);
    } else if (seg.kind === 'removed') removed += seg.text;
    else added += seg.text;
  }
  flushChange();
  return out.filter((s) => s.text !== '');
}

function similarityOf(segments: DiffSegment[], totalTokens: number): number {
  if (totalTokens === 0) return 1;
  let equal = 0;
  for (const s of segments) if (s.kind === 'equal') equal += tokenize(s.text).length;
  return Math.min(1, (2 * equal) / totalTokens);
}

// ---------------------------------------------------------------------------------------
// Step alignment

export interface StepRef {
  /** 0-based position in the trace's step list (the displayed number is position + 1). */
  position: number;
  step: TraceStep;
}

export interface StepPair {
  /** same: identical type and content; changed: paired by similarity; added/removed: only on one side. */
  kind: 'same' | 'changed' | 'added' | 'removed';
  left?: StepRef;
  right?: StepRef;
  /** Word diff of the contents, for changed pairs. */
  content?: TextDiff;
  typeChanged: boolean;
}

/** Two steps in a gap between identical steps are paired only when at least this similar. */
const PAIR_THRESHOLD = 0.3;
/** Largest gap (left x right steps) aligned by similarity; larger gaps pair by position. */
const MAX_GAP_CELLS = 250_000;

export function alignSteps(left: readonly TraceStep[], right: readonly TraceStep[], options: DiffOptions = {}): StepPair[] {
  const keyOf = (s: TraceStep) => `${s.type}\u0000${s.content.trim()}`;
  // Identical steps anchor the alignment; a step list differs in at most 2,000 places.
  const ops = diffSequences(left.map(keyOf), right.map(keyOf), left.length + right.length) ?? [];
  const pairs: StepPair[] = [];
  let li = 0;
  let ri = 0;
  let gapLeft: number[] = [];
  let gapRight: number[] = [];
  const flushGap = () => {
    pairs.push(...alignGap(left, right, gapLeft, gapRight, options));
    gapLeft = [];
    gapRight = [];
  };
  for (const op of ops) {
    const count = op.to - op.from;
    if (op.kind === 'equal') {
      flushGap();
      for (let k = 0; k < count; k++) {
        pairs.push({ kind: 'same', left: { position: li, step: left[li] }, right: { position: ri, step: right[ri] }, typeChanged: false });
        li++;
        ri++;
      }
    } else if (op.kind === 'removed') {
      for (let k = 0; k < count; k++) gapLeft.push(li++);
    } else {
      for (let k = 0; k < count; k++) gapRight.push(ri++);
    }
  }
  flushGap();
  return pairs;
}

function alignGap(left: readonly TraceStep[], right: readonly TraceStep[], gl: number[], gr: number[], options: DiffOptions): StepPair[] {
  if (!gl.length || !gr.length) {
    return [
      ...gl.map((p): StepPair => ({ kind: 'removed', left: { position: p, step: left[p] }, typeChanged: false })),
      ...gr.map((p): StepPair => ({ kind: 'added', right: { position: p, step: right[p] }, typeChanged: false })),
    ];
  }
  const matches = gl.length * gr.length <= MAX_GAP_CELLS ? bestPairing(left, right, gl, gr) : gl.slice(0, gr.length).map((_, k) => [k, k] as const);
  const out: StepPair[] = [];
  let x = 0;
  let y = 0;
  const changed = (lp: number, rp: number): StepPair => {
    const l = left[lp];
    const r = right[rp];
    return {
      kind: 'changed',
      left: { position: lp, step: l },
      right: { position: rp, step: r },
      content: diffWords(l.content, r.content, options),
      typeChanged: l.type !== r.type,
    };
  };
  const unpairedUntil = (mx: number, my: number) => {
    for (; x < mx; x++) out.push({ kind: 'removed', left: { position: gl[x], step: left[gl[x]] }, typeChanged: false });
    for (; y < my; y++) out.push({ kind: 'added', right: { position: gr[y], step: right[gr[y]] }, typeChanged: false });
  };
  for (const [mx, my] of matches) {
    unpairedUntil(mx, my);
    out.push(changed(gl[mx], gr[my]));
    x = mx + 1;
    y = my + 1;
  }
  unpairedUntil(gl.length, gr.length);
  return out;
}

/**
 * The order-preserving pairing of the gap's steps that maximises total similarity above the
 * threshold (a Needleman-Wunsch style dynamic programme with free gaps).
 */
function bestPairing(left: readonly TraceStep[], right: readonly TraceStep[], gl: number[], gr: number[]): Array<readonly [number, number]> {
  const bagsL = gl.map((p) => tokenBag(left[p].content));
  const bagsR = gr.map((p) => tokenBag(right[p].content));
  const n = gl.length;
  const m = gr.length;
  const gain = (x: number, y: number) => {
    const s = dice(bagsL[x], bagsR[y]) + (left[gl[x]].type === right[gr[y]].type ? 0.05 : 0);
    return s >= PAIR_THRESHOLD ? s : -1;
  };
  const score = new Float64Array((n + 1) * (m + 1));
  const at = (x: number, y: number) => x * (m + 1) + y;
  for (let x = n - 1; x >= 0; x--) {
    for (let y = m - 1; y >= 0; y--) {
      const g = gain(x, y);
      score[at(x, y)] = Math.max(score[at(x + 1, y)], score[at(x, y + 1)], g > 0 ? g + score[at(x + 1, y + 1)] : -Infinity);
    }
  }
  const out: Array<readonly [number, number]> = [];
  let x = 0;
  let y = 0;
  while (x < n && y < m) {
    const g = gain(x, y);
    if (g > 0 && score[at(x, y)] === g + score[at(x + 1, y + 1)]) {
      out.push([x, y]);
      x++;
      y++;
    } else if (score[at(x, y)] === score[at(x + 1, y)]) x++;
    else y++;
  }
  return out;
}

interface TokenBag {
  counts: Map<string, number>;
  size: number;
}

function tokenBag(text: string): TokenBag {
  const counts = new Map<string, number>();
  let size = 0;
  for (const t of tokenize(text.toLowerCase())) {
    if (/^\s+$/.test(t)) continue;
    counts.set(t, (counts.get(t) ?? 0) + 1);
    size++;
  }
  return { counts, size };
}

/** Sørensen-Dice coefficient of two token multisets. */
function dice(a: TokenBag, b: TokenBag): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.counts.size <= b.counts.size ? [a, b] : [b, a];
  let common = 0;
  for (const [t, c] of small.counts) common += Math.min(c, large.counts.get(t) ?? 0);
  return (2 * common) / (a.size + b.size);
}

// ---------------------------------------------------------------------------------------
// Whole traces

export interface ComparableTrace {
  prompt: string;
  final_answer: string;
  steps: readonly TraceStep[];
  meta?: Record<string, unknown> | null;
}

export interface MetaDifference {
  key: string;
  kind: 'same' | 'changed' | 'added' | 'removed';
  /** The value as JSON text (strings shown without quotes); absent on the side that lacks the key. */
  left?: string;
  right?: string;
}

export interface TraceDiff {
  prompt: TextDiff;
  finalAnswer: TextDiff;
  steps: StepPair[];
  meta: MetaDifference[];
  summary: {
    promptChanged: boolean;
    finalAnswerChanged: boolean;
    stepsSame: number;
    stepsChanged: number;
    stepsAdded: number;
    stepsRemoved: number;
    metaChanged: number;
    identical: boolean;
  };
}

export function diffTraces(left: ComparableTrace, right: ComparableTrace, options: DiffOptions = {}): TraceDiff {
  const prompt = diffWords(left.prompt, right.prompt, options);
  const finalAnswer = diffWords(left.final_answer, right.final_answer, options);
  const steps = alignSteps(left.steps, right.steps, options);
  const meta = diffMeta(left.meta ?? {}, right.meta ?? {});
  const count = (k: StepPair['kind']) => steps.filter((s) => s.kind === k).length;
  const summary = {
    promptChanged: prompt.changed,
    finalAnswerChanged: finalAnswer.changed,
    stepsSame: count('same'),
    stepsChanged: count('changed'),
    stepsAdded: count('added'),
    stepsRemoved: count('removed'),
    metaChanged: meta.filter((m) => m.kind !== 'same').length,
    identical: false,
  };
  summary.identical = !prompt.changed && !finalAnswer.changed && summary.stepsSame === steps.length && summary.metaChanged === 0;
  return { prompt, finalAnswer, steps, meta, summary };
}

function showValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function diffMeta(left: Record<string, unknown>, right: Record<string, unknown>): MetaDifference[] {
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return keys.map((key): MetaDifference => {
    const inL = Object.prototype.hasOwnProperty.call(left, key);
    const inR = Object.prototype.hasOwnProperty.call(right, key);
    if (!inR) return { key, kind: 'removed', left: showValue(left[key]) };
    if (!inL) return { key, kind: 'added', right: showValue(right[key]) };
    const l = JSON.stringify(left[key]);
    const r = JSON.stringify(right[key]);
    return { key, kind: l === r ? 'same' : 'changed', left: showValue(left[key]), right: showValue(right[key]) };
  });
}
