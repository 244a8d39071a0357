/**
 * Turns problems into exact positions with jsonc-parser, the offset-reporting JSON parser
 * VS Code itself uses. Called only for text that failed JSON.parse or the schema check, so
 * its cost (a position-aware tree) is paid only where a diagnostic will be shown.
 */
import { visit, type ParseError } from './jsonc';
import type { JsonPath, RawProblem } from './check';
import { CODES } from './problems';

/** A problem with offsets into the validated text (end exclusive). */
export interface OffsetProblem {
  raw: RawProblem;
  start: number;
  end: number;
}

// jsonc-parser's ParseErrorCode is a const enum, unusable under isolatedModules; same numbers.
const SYNTAX: Record<number, string> = {
  1: 'unexpected text (names and strings take double quotes; the literals are true, false and null)',
  2: 'a malformed number',
  3: 'expected a property name in double quotes',
  4: 'expected a value',
  5: "expected ':' after the property name",
  6: "expected ',' between items",
  7: "expected '}' to close the object",
  8: "expected ']' to close the array",
  9: 'unexpected content after the record (one record per line)',
  10: 'comments are not allowed in JSON',
  11: 'comments are not allowed in JSON',
  12: 'a string is not closed (missing \'"\')',
  13: 'a number ends too early',
  14: 'an invalid \\u escape (needs four hex digits)',
  15: 'an invalid escape sequence (valid: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
  16: 'a control character inside a string (escape it, e.g. \\n or \\u0000)',
};

const STOP = Symbol('first syntax error found');

function describeToken(text: string, start: number, end: number): string {
  if (start >= text.length) return 'the end of the line';
  const token = text.slice(start, Math.max(end, start + 1));
  const c = token.charCodeAt(0);
  if (token.length === 1 && (c < 0x20 || c === 0x7f || c === 0xfffd)) return `the character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\`${token.length > 30 ? token.slice(0, 30) + '…' : token}\``;
}

/**
 * Finds the first syntax error of `text` (strict JSON: no comments, no trailing commas).
 * Stops at that error, so a broken line of many MB costs only up to where it breaks.
 * The range is the bad token; for a bad character or escape inside a string, just that
 * character or escape; for a line that ends too early, the empty range at its end.
 */
export function firstSyntaxError(text: string): OffsetProblem | undefined {
  let found: ParseError | undefined;
  try {
    visit(
      text,
      {
        onError(error, offset, length) {
          found = { error, offset, length };
          throw STOP;
        },
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch (err) {
    if (err !== STOP) throw err;
  }
  if (!found) return undefined;
  const code = found.error;
  let start = found.offset;
  let end = found.offset + found.length;
  const what = SYNTAX[code] ?? 'a syntax error';
  const problem = (message: string): OffsetProblem => ({ raw: { kind: CODES.invalidJson, message: `Invalid JSON: ${message}`, path: [], target: 'value' }, start, end });
  if (code === 16 || code === 14 || code === 15) {
    // The scanner reports the whole string token; narrow it to the offending character/escape.
    const [s, e] = badSpotInString(text, start, end, code);
    start = s;
    end = e;
    return problem(`${what}: ${describeToken(text, start, end)}.`);
  }
  if (code === 12) return problem(`${what}; the line ends inside it. Is the line truncated?`);
  if (start >= text.trimEnd().length) {
    start = end = text.length;
    return problem(`the line ends before the record is complete (${what}). Is the line truncated?`);
  }
  if (end === start) end = start + 1;
  if (code === 9) return problem(`${what}, found ${describeToken(text, start, end)}.`);
  return problem(`${what}, found ${describeToken(text, start, end)}.`);
}

/** The first control character (16) or bad escape (14, 15) between start and end. */
function badSpotInString(text: string, start: number, end: number, code: number): [number, number] {
  for (let k = start + 1; k < end; k++) {
    const c = text.charCodeAt(k);
    if (code === 16 && c < 0x20) return [k, k + 1];
    if (c === 0x5c /* \\ */) {
      const n = text[k + 1];
      if (n === 'u') {
        const hex = text.slice(k + 2, k + 6);
        if (code === 14 && !/^[0-9a-fA-F]{4}$/.test(hex)) return [k, Math.min(k + 2 + (hex.match(/^[0-9a-fA-F]*/)![0].length), end)];
        k += 5;
      } else if (n !== undefined && '"\\/bfnrt'.includes(n)) k++;
      else if (code === 15) return [k, Math.min(k + 2, text.length)];
    }
  }
  return [start, end];
}

/** Resolves each problem's JSON path to offsets in `text` (which JSON.parse accepted). */
export function locate(text: string, problems: RawProblem[]): OffsetProblem[] {
  const start = firstNonSpace(text);
  const end = lastNonSpace(text) + 1;
  // Problems of the record itself (a missing field, not an object) need no parse at all.
  if (problems.every((p) => p.path.length === 0)) return problems.map((raw) => ({ raw, start, end: raw.target === 'open' ? start + 1 : end }));
  const spans = spansOf(text, problems.map((p) => p.path));
  return problems.map((raw) => {
    if (raw.path.length === 0) return { raw, start, end: raw.target === 'open' ? start + 1 : end };
    const span = spans.get(pathKey(raw.path));
    if (!span || raw.target === 'record') return { raw, start, end };
    if (raw.target === 'open') return { raw, start: span.start, end: span.start + 1 };
    if (raw.target === 'key' && span.keyStart !== undefined) return { raw, start: span.keyStart, end: span.keyEnd! };
    return { raw, start: span.start, end: span.end };
  });
}

function firstNonSpace(text: string): number {
  let k = 0;
  while (k < text.length && isSpace(text.charCodeAt(k))) k++;
  return k;
}

function lastNonSpace(text: string): number {
  let k = text.length - 1;
  while (k > 0 && isSpace(text.charCodeAt(k))) k--;
  return k;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

interface Span {
  start: number;
  end: number;
  keyStart?: number;
  keyEnd?: number;
}

/**
 * One pass of jsonc-parser's visitor over the text, recording where each wanted path's value
 * (and its property name) sits; no tree is built. When a key repeats, the last occurrence
 * wins, as in JSON.parse, whose value the check saw.
 */
function spansOf(text: string, paths: JsonPath[]): Map<string, Span> {
  const wanted = new Set(paths.map(pathKey));
  const maxDepth = Math.max(...paths.map((p) => p.length));
  const found = new Map<string, Span>();
  const open: Array<{ key: string | undefined; start: number }> = [];
  const keyAt = new Map<string, { start: number; end: number }>();
  const match = (path: JsonPath): string | undefined => {
    if (path.length === 0 || path.length > maxDepth) return undefined;
    const key = pathKey(path);
    return wanted.has(key) ? key : undefined;
  };
  const settle = (key: string, start: number, end: number) => {
    const k = keyAt.get(key);
    found.set(key, { start, end, keyStart: k?.start, keyEnd: k?.end });
  };
  const begin = (offset: number, pathSupplier: () => JsonPath) => {
    const path = pathSupplier();
    open.push({ key: path.length <= maxDepth ? match(path) : undefined, start: offset });
  };
  const finish = (offset: number, length: number) => {
    const o = open.pop();
    if (o?.key) settle(o.key, o.start, offset + length);
  };
  visit(
    text,
    {
      onObjectBegin: (offset, _l, _sl, _sc, pathSupplier) => begin(offset, pathSupplier),
      onArrayBegin: (offset, _l, _sl, _sc, pathSupplier) => begin(offset, pathSupplier),
      onObjectEnd: finish,
      onArrayEnd: finish,
      onObjectProperty: (property, offset, length, _sl, _sc, pathSupplier) => {
        const parent = pathSupplier();
        if (parent.length >= maxDepth) return;
        const key = match([...parent, property]);
        if (key) keyAt.set(key, { start: offset, end: offset + length });
      },
      onLiteralValue: (_value, offset, length, _sl, _sc, pathSupplier) => {
        const key = match(pathSupplier());
        if (key) settle(key, offset, offset + length);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return found;
}
