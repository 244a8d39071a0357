/**
 * The hand-written schema check of a parsed trace record: the fast path of the validator.
 * It works on the value JSON.parse returned and reports each problem with a JSON path and
 * which part of the node to mark (`target`); positions are resolved later, and only for
 * records that have problems (see locate.ts), because building a position-aware tree for
 * every line would cost about three times as much as JSON.parse.
 */
import { CODES, fmt, type ProblemCode } from './problems';
import { TRACE_LIMITS } from './types';

export type JsonPath = Array<string | number>;

/** Which part of the node at `path` a problem marks. */
export type Target =
  | 'value' // the whole value (a string, a number, an array...)
  | 'key' // the property name (falls back to the value for array items)
  | 'open' // the first character of the value, e.g. `{` of an object missing a field
  | 'record'; // the whole record

export interface RawProblem {
  kind: ProblemCode;
  message: string;
  path: JsonPath;
  target: Target;
}

const TOP_KEYS = ['trace_version', 'prompt', 'final_answer', 'steps', 'meta', 'id'] as const;
const STEP_KEYS = ['i', 'type', 'content'] as const;

/** What a JSON value is, in words, for "found ..." in messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : `an array (${fmt(v.length)} item${v.length === 1 ? '' : 's'})`;
  switch (typeof v) {
    case 'string':
      return `a string (${preview(v)})`;
    case 'number':
      return `a number (${Number.isFinite(v) ? String(v) : 'out of range'})`;
    case 'boolean':
      return `a boolean (${v})`;
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

/** A JSON-quoted preview of a string, cut at 40 characters. */
export function preview(s: string, max = 40): string {
  const cut = s.length > max ? s.slice(0, max) + '…' : s;
  return JSON.stringify(cut);
}

/** Length in Unicode code points, the unit tunix-rt's limits are counted in (Python `len`). */
function codePointLength(s: string): number {
  let n = s.length;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length) {
      const d = s.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        k++;
      }
    }
  }
  return n;
}

function pathName(path: JsonPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function fieldPath(field: string, step: number): JsonPath {
  return step < 0 ? [field] : ['steps', step, field];
}

/**
 * Checks a string field. The path is built only when there is a problem: on the hot path
 * (a valid record) nothing is allocated.
 */
function checkString(value: unknown, limit: { min: number; max: number }, out: RawProblem[], field: string, step = -1): boolean {
  if (typeof value === 'string') {
    // UTF-16 length >= code point length, so the exact count is needed only above the limit.
    if (value.length >= limit.min && value.length <= limit.max) return true;
    if (value.length > limit.max) {
      const n = codePointLength(value);
      if (n <= limit.max) return true;
      const p = fieldPath(field, step);
      out.push({ kind: CODES.tooLong, message: `"${pathName(p)}" is ${fmt(n)} characters long; the limit is ${fmt(limit.max)} (${fmt(n - limit.max)} over). Shorten it.`, path: p, target: 'value' });
      return false;
    }
    const p = fieldPath(field, step);
    out.push({ kind: CODES.emptyString, message: `"${pathName(p)}" is empty; it needs ${fmt(limit.min)}-${fmt(limit.max)} characters.`, path: p, target: 'value' });
    return false;
  }
  const p = fieldPath(field, step);
  out.push({ kind: CODES.wrongType, message: `"${pathName(p)}" must be a string of ${fmt(limit.min)}-${fmt(limit.max)} characters; found ${describeValue(value)}.`, path: p, target: 'value' });
  return false;
}

/** Edit distance, for "did you mean" on unknown keys (short strings only). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 99;
  const row = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let x = 1; x <= a.length; x++) {
    let prev = row[0];
    row[0] = x;
    for (let y = 1; y <= b.length; y++) {
      const tmp = row[y];
      row[y] = Math.min(row[y] + 1, row[y - 1] + 1, prev + (a[x - 1] === b[y - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function unknownKey(key: string, known: readonly string[], where: string, path: JsonPath, out: RawProblem[]): void {
  const lower = key.toLowerCase();
  const guess = known.find((k) => k === lower || distance(lower, k) <= 2);
  out.push({
    kind: CODES.unknownField,
    message: `Unknown field "${key}" ${where}; tunix-rt ignores it.${guess ? ` Did you mean "${guess}"?` : ` Known fields: ${known.join(', ')}.`}`,
    path,
    target: 'key',
  });
}

function isTopKey(k: string): boolean {
  return k === 'trace_version' || k === 'prompt' || k === 'final_answer' || k === 'steps' || k === 'meta' || k === 'id';
}

/**
 * Checks one parsed record. Returns the problems (empty for a clean record). Warnings that
 * need the whole record (answer mentioned by a step) are included; duplicates across lines
 * are the caller's business (see traceKey in hash.ts).
 */
/** Reused by checkRecord so a clean record allocates no problem list. */
const scratch: RawProblem[] = [];
const NONE: RawProblem[] = [];

export function checkRecord(value: unknown): RawProblem[] {
  scratch.length = 0;
  checkInto(value, scratch);
  return scratch.length === 0 ? NONE : scratch.splice(0);
}

function checkInto(value: unknown, out: RawProblem[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    out.push({
      kind: CODES.notAnObject,
      message: `A trace must be a JSON object {"trace_version", "prompt", "steps", "final_answer", ...}; found ${describeValue(value)}.`,
      path: [],
      target: 'value',
    });
    return;
  }
  const rec = value as Record<string, unknown>;
  for (const k in rec) if (!isTopKey(k)) unknownKey(k, TOP_KEYS, 'at the top level', [k], out);

  const L = TRACE_LIMITS;
  if (rec.trace_version === undefined) missing('trace_version', `a string of ${L.traceVersion.min}-${L.traceVersion.max} characters such as "1.0"`, [], out);
  else checkString(rec.trace_version, L.traceVersion, out, 'trace_version');
  if (rec.prompt === undefined) missing('prompt', `a string of ${fmt(L.prompt.min)}-${fmt(L.prompt.max)} characters`, [], out);
  else checkString(rec.prompt, L.prompt, out, 'prompt');
  let answerOk = false;
  if (rec.final_answer === undefined) missing('final_answer', `a string of ${fmt(L.finalAnswer.min)}-${fmt(L.finalAnswer.max)} characters`, [], out);
  else answerOk = checkString(rec.final_answer, L.finalAnswer, out, 'final_answer');
  if (rec.id !== undefined && rec.id !== null) {
    if (typeof rec.id !== 'string') out.push({ kind: CODES.wrongType, message: `"id" must be a string (or left out; the store then makes one); found ${describeValue(rec.id)}.`, path: ['id'], target: 'value' });
    else if (rec.id.length === 0) out.push({ kind: CODES.emptyString, message: `"id" is empty; leave the field out to have the store make an id, or give a non-empty string.`, path: ['id'], target: 'value' });
  }
  const meta = rec.meta;
  if (meta !== undefined && meta !== null && (typeof meta !== 'object' || Array.isArray(meta))) {
    out.push({ kind: CODES.wrongType, message: `"meta" must be an object or null; found ${describeValue(meta)}.`, path: ['meta'], target: 'value' });
  }

  const steps = rec.steps;
  let stepsOk = false;
  if (steps === undefined) missing('steps', `an array of ${L.steps.min}-${fmt(L.steps.max)} steps {"i", "type", "content"}`, [], out);
  else if (!Array.isArray(steps)) {
    out.push({ kind: CODES.wrongType, message: `"steps" must be an array of ${L.steps.min}-${fmt(L.steps.max)} steps {"i", "type", "content"}; found ${describeValue(steps)}.`, path: ['steps'], target: 'value' });
  } else if (steps.length < L.steps.min) {
    out.push({ kind: CODES.stepCount, message: `"steps" is empty; a trace needs ${L.steps.min}-${fmt(L.steps.max)} steps.`, path: ['steps'], target: 'value' });
  } else {
    if (steps.length > L.steps.max) {
      out.push({ kind: CODES.stepCount, message: `"steps" has ${fmt(steps.length)} steps; the limit is ${fmt(L.steps.max)} (${fmt(steps.length - L.steps.max)} over). Split the trace or merge steps.`, path: ['steps'], target: 'key' });
    }
    stepsOk = checkSteps(steps, out) && steps.length <= L.steps.max;
  }
  if (answerOk && stepsOk && !answerMentioned(rec.final_answer as string, steps as Array<{ content: string }>)) {
    out.push({
      kind: CODES.answerNotInSteps,
      message: `No step mentions the final answer ${preview(rec.final_answer as string)}; a reasoning trace usually arrives at its answer in a step.`,
      path: ['final_answer'],
      target: 'value',
    });
  }
}

function missing(field: string, what: string, path: JsonPath, out: RawProblem[]): void {
  const where = path.length ? ` in ${pathName(path)}` : '';
  out.push({ kind: CODES.missingField, message: `Missing required field "${field}"${where}: ${what}.`, path, target: 'open' });
}

/** Checks the steps array; true when every step is valid (warnings allowed). */
function checkSteps(steps: unknown[], out: RawProblem[]): boolean {
  const before = out.length;
  let ok = true;
  let prevIndex = -1;
  let increasing = true;
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k];
    if (typeof step === 'string') {
      out.push({ kind: CODES.bareStringStep, message: `steps[${k}] is a bare string; a step is an object {"i": ${k}, "type": "...", "content": "..."}.`, path: ['steps', k], target: 'value' });
      ok = false;
      increasing = false;
      continue;
    }
    if (step === null || typeof step !== 'object' || Array.isArray(step)) {
      out.push({ kind: CODES.wrongType, message: `steps[${k}] must be an object {"i", "type", "content"}; found ${describeValue(step)}.`, path: ['steps', k], target: 'value' });
      ok = false;
      increasing = false;
      continue;
    }
    const s = step as Record<string, unknown>;
    for (const key in s) if (key !== 'i' && key !== 'type' && key !== 'content') unknownKey(key, STEP_KEYS, `in steps[${k}]`, ['steps', k, key], out);
    const i = s.i;
    if (i === undefined) {
      missing('i', 'the step index, an integer >= 0 unique in the trace', ['steps', k], out);
      ok = false;
      increasing = false;
    } else if (typeof i !== 'number') {
      out.push({ kind: CODES.wrongType, message: `"steps[${k}].i" must be an integer >= 0; found ${describeValue(i)}.`, path: ['steps', k, 'i'], target: 'value' });
      ok = false;
      increasing = false;
    } else if (!Number.isSafeInteger(i) || i < 0) {
      const why = !Number.isFinite(i) ? 'a number out of range' : i < 0 ? `${i} (negative)` : Number.isInteger(i) ? `${i} (beyond 2^53)` : `${i} (not a whole number)`;
      out.push({ kind: CODES.badStepIndex, message: `"steps[${k}].i" must be an integer >= 0; found ${why}.`, path: ['steps', k, 'i'], target: 'value' });
      ok = false;
      increasing = false;
    } else {
      if (i <= prevIndex) increasing = false;
      prevIndex = i;
    }
    if (s.type === undefined) {
      missing('type', `a string of ${TRACE_LIMITS.stepType.min}-${TRACE_LIMITS.stepType.max} characters such as "process" or "result"`, ['steps', k], out);
      ok = false;
    } else if (!checkString(s.type, TRACE_LIMITS.stepType, out, 'type', k)) ok = false;
    if (s.content === undefined) {
      missing('content', `a string of ${fmt(TRACE_LIMITS.stepContent.min)}-${fmt(TRACE_LIMITS.stepContent.max)} characters`, ['steps', k], out);
      ok = false;
    } else if (!checkString(s.content, TRACE_LIMITS.stepContent, out, 'content', k)) ok = false;
  }
  // Strictly increasing indices are unique and ordered: the common case needs no set.
  if (!increasing) checkIndexOrder(steps, out);
  if (!ok) return false;
  for (let k = before; k < out.length; k++) if (out[k].kind.severity === 'error') return false;
  return true;
}

function checkIndexOrder(steps: unknown[], out: RawProblem[]): void {
  const seen = new Map<number, number>();
  let prev = -1;
  let reportedOrder = false;
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k] as Record<string, unknown> | null;
    const i = s && typeof s === 'object' ? s.i : undefined;
    if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 0) continue;
    const first = seen.get(i);
    if (first !== undefined) {
      out.push({
        kind: CODES.duplicateStepIndex,
        message: `Step index ${i} is used twice (steps[${first}] and steps[${k}]); indices must be unique within a trace.`,
        path: ['steps', k, 'i'],
        target: 'value',
      });
    } else {
      seen.set(i, k);
      if (i < prev && !reportedOrder) {
        reportedOrder = true;
        out.push({
          kind: CODES.stepsOutOfOrder,
          message: `Step index ${i} comes after ${prev}; steps are stored and rendered in array order, so their indices usually increase.`,
          path: ['steps', k, 'i'],
          target: 'value',
        });
      }
    }
    if (i > prev) prev = i;
  }
}

/** True when some step's content contains the answer (exactly, else ignoring case and outer spaces). */
export function answerMentioned(answer: string, steps: Array<{ content: string }>): boolean {
  // Last step first: that is where traces usually state their answer.
  for (let k = steps.length - 1; k >= 0; k--) if (steps[k].content.includes(answer)) return true;
  const needle = answer.trim().toLowerCase();
  if (!needle) return true;
  for (let k = steps.length - 1; k >= 0; k--) if (steps[k].content.toLowerCase().includes(needle)) return true;
  return false;
}
