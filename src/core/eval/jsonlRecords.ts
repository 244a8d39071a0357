// Reads a small-to-medium JSONL file (eval items, predictions) into objects with their line
// numbers, collecting every bad line instead of stopping at the first, so one run of the
// command shows a user all there is to fix.
import * as fs from 'node:fs';
import { UserError } from '../errors';

export interface JsonlLine {
  /** 1-based. */
  line: number;
  value: Record<string, unknown>;
}

export interface LineProblem {
  line: number;
  message: string;
}

/** How many problems an error message lists before "... and N more". */
const MAX_LISTED = 20;

export function readTextFile(path: string, what: string): string {
  try {
    const stat = fs.statSync(path);
    if (stat.isDirectory()) throw new UserError(`The ${what} path ${path} is a folder; give a .jsonl file.`);
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`The ${what} file ${path} does not exist.`);
    throw new UserError(`Cannot read the ${what} file ${path}: ${(err as Error).message}`);
  }
}

/** Splits JSONL text into objects; blank lines are skipped, a BOM and CRLF are fine. */
export function parseJsonlObjects(text: string): { lines: JsonlLine[]; problems: LineProblem[] } {
  const lines: JsonlLine[] = [];
  const problems: LineProblem[] = [];
  const rows = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  for (let i = 0; i < rows.length; i++) {
    let raw = rows[i];
    if (raw.charCodeAt(raw.length - 1) === 13) raw = raw.slice(0, -1);
    // Blank lines are skipped; trim() only runs on lines that start with whitespace.
    if (raw.length === 0 || (raw.charCodeAt(0) <= 32 && raw.trim() === '')) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push({ line: i + 1, message: `invalid JSON (${(err as Error).message})` });
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ line: i + 1, message: `expected a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` });
      continue;
    }
    lines.push({ line: i + 1, value: value as Record<string, unknown> });
  }
  return { lines, problems };
}

/** Throws one UserError listing the problems as `path:line: message`. */
export function throwLineProblems(path: string, what: string, problems: LineProblem[], hint: string): never {
  const listed = problems.slice(0, MAX_LISTED).map((p) => `  ${path}:${p.line}: ${p.message}`);
  const more = problems.length > MAX_LISTED ? [`  ... and ${problems.length - MAX_LISTED} more`] : [];
  throw new UserError([`${problems.length} bad line${problems.length === 1 ? '' : 's'} in the ${what} file ${path}:`, ...listed, ...more, hint].join('\n'));
}

/** A string field, or a finite number written as text (ids and answers are often numbers). */
export function textField(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
