/**
 * The trace validator: one function per input shape, shared by the importer, the VS Code
 * diagnostics and the CLI.
 *
 *   validateTraceLine(text, line)  one JSONL line -> record (when no error) + exact problems
 *   validateTraceText(text)        a whole single-trace .json document (may span lines)
 *   validateTraceObject(value)     an already-parsed value (other import formats): problems by path
 *
 * Fast path: JSON.parse plus the hand-written check (check.ts). Only text that fails either
 * is parsed again with jsonc-parser to place each problem exactly (locate.ts). Keys repeated in
 * an object, which JSON.parse hides, are found by a cheap count first (repeatedKeys.ts).
 * Positions follow problems.ts: 1-based lines and columns, end exclusive, UTF-16 columns.
 */
import { checkRecord, type RawProblem } from './check';
import { firstSyntaxError, locate, type OffsetProblem } from './locate';
import { mayRepeatKeys, repeatedKeys } from './repeatedKeys';
import type { Severity, TraceProblem } from './problems';
import type { TraceRecord } from './types';

export type { TraceProblem, Severity } from './problems';

export interface LineValidation {
  /** The record, present when no problem is an error (warnings allowed). */
  record?: TraceRecord;
  problems: TraceProblem[];
  /** True for an empty or whitespace-only line: not a record, not a problem. */
  blank?: boolean;
}

/** A problem of an already-parsed value, placed by its JSON path (e.g. `steps[2].i`). */
export interface ObjectProblem {
  code: string;
  severity: Severity;
  message: string;
  path: string;
}

/** The line-number-free result of one line, as the incremental engine caches it. */
export interface LocalResult {
  record?: TraceRecord;
  /** Problems with offsets into the line's text (end exclusive). */
  problems: OffsetProblem[];
  blank: boolean;
}

function isBlank(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a && c !== 0xfeff) return false;
  }
  return true;
}

const NO_PROBLEMS: OffsetProblem[] = [];

/**
 * Validates one line's text with offsets relative to that text. A leading BOM and a
 * trailing CR are tolerated (the BOM is skipped, offsets stay relative to `text`).
 */
export function checkLine(text: string): LocalResult {
  if (text.length === 0 || isBlank(text)) return { problems: NO_PROBLEMS, blank: true };
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const cr = text.charCodeAt(text.length - 1) === 0x0d ? 1 : 0;
  const body = shift || cr ? text.slice(shift, text.length - cr) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    const syntax = firstSyntaxError(body) ?? {
      // JSON.parse refused what jsonc-parser accepts: report the engine's own words on the whole line.
      raw: { kind: { code: 'TRC001', severity: 'error', title: 'Invalid JSON' }, message: `Invalid JSON: ${(err as Error).message}.`, path: [], target: 'value' as const },
      start: 0,
      end: body.length,
    };
    return { problems: [shiftBy(syntax, shift)], blank: false };
  }
  const raw = checkRecord(value);
  const repeats = mayRepeatKeys(body, value) ? repeatedKeys(body) : NO_PROBLEMS;
  if (raw.length === 0 && repeats.length === 0) return { record: value as TraceRecord, problems: NO_PROBLEMS, blank: false };
  const located = [...locate(body, raw), ...repeats]
    .map((p) => shiftBy(p, shift))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const hasError = raw.some((p) => p.kind.severity === 'error');
  return { record: hasError ? undefined : (value as TraceRecord), problems: located, blank: false };
}

function shiftBy(p: OffsetProblem, shift: number): OffsetProblem {
  return shift ? { raw: p.raw, start: p.start + shift, end: p.end + shift } : p;
}

/** A problem of a single-line text at 1-based `line`. */
export function toLineProblem(p: OffsetProblem, line: number): TraceProblem {
  return { code: p.raw.kind.code, severity: p.raw.kind.severity, message: p.raw.message, line, column: p.start + 1, endLine: line, endColumn: p.end + 1 };
}

/** Validates one JSONL line; `line` (1-based) is used for the problems' positions. */
export function validateTraceLine(text: string, line: number): LineValidation {
  const r = checkLine(text);
  if (r.blank) return { problems: [], blank: true };
  const problems = r.problems.map((p) => toLineProblem(p, line));
  return r.record ? { record: r.record, problems } : { problems };
}

/**
 * Validates a whole text holding one trace (a `.json` file, possibly pretty-printed over
 * many lines). Positions count from `firstLine` (default 1).
 */
export function validateTraceText(text: string, firstLine = 1): LineValidation {
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = shift ? text.slice(1) : text;
  if (isBlank(body)) {
    const empty: OffsetProblem = { raw: { kind: { code: 'TRC001', severity: 'error', title: 'Invalid JSON' }, message: 'Invalid JSON: the file is empty; it should hold one trace object.', path: [], target: 'value' }, start: 0, end: 0 };
    return { problems: [toTextProblem(text, empty, firstLine)] };
  }
  const r = checkLine(body);
  const problems = r.problems.map((p) => toTextProblem(text, shiftBy(p, shift), firstLine));
  return r.record ? { record: r.record, problems } : { problems };
}

function toTextProblem(text: string, p: OffsetProblem, firstLine: number): TraceProblem {
  const a = position(text, p.start);
  const b = position(text, p.end);
  return { code: p.raw.kind.code, severity: p.raw.kind.severity, message: p.raw.message, line: a.line + firstLine - 1, column: a.column, endLine: b.line + firstLine - 1, endColumn: b.column };
}

/** 1-based line and column of an offset (CRLF counts as one line break). */
export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Validates an already-parsed value (e.g. a record converted from another format). */
export function validateTraceObject(value: unknown): { record?: TraceRecord; problems: ObjectProblem[] } {
  const raw: RawProblem[] = checkRecord(value);
  const problems = raw.map((p) => ({ code: p.kind.code, severity: p.kind.severity, message: p.message, path: pathText(p.path) }));
  return raw.some((p) => p.kind.severity === 'error') ? { problems } : { record: value as TraceRecord, problems };
}

function pathText(path: Array<string | number>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(record)';
}
