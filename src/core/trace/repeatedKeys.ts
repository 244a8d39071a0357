/**
 * Repeated keys in one JSON object, e.g. two "final_answer" fields in a record. JSON.parse,
 * Python's json module (so tunix-rt) and every other reader keep the last value and drop the
 * earlier ones without a word, so the data a user sees in the file is not the data that is
 * trained on. The validator reports each overridden key (TRC105, a warning: the record is
 * still accepted, with the last value).
 *
 * Two steps, so clean lines pay almost nothing:
 *  - mayRepeatKeys: a cheap test on the text and the value JSON.parse returned. It counts the
 *    keys the text writes as `"...":` (an unescaped quote right before a colon can only close
 *    a key in valid JSON) and compares that with the keys the parsed value holds; they differ,
 *    or a colon follows whitespace, only when a key may repeat.
 *  - repeatedKeys: one jsonc-parser pass that finds each repeated key and its exact range.
 */
import { visit } from './jsonc';
import type { OffsetProblem } from './locate';
import { CODES } from './problems';
import { preview } from './check';

/** Keys held by the parsed value, in all its objects at any depth. */
function countKeys(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) {
      const v = value[k];
      if (v !== null && typeof v === 'object') n += countKeys(v);
    }
    return n;
  }
  const obj = value as Record<string, unknown>;
  for (const key in obj) {
    n++;
    const v = obj[key];
    if (v !== null && typeof v === 'object') n += countKeys(v);
  }
  return n;
}

/** True when the quote at `at` is escaped (preceded by an odd number of backslashes). */
function escaped(text: string, at: number): boolean {
  let n = 0;
  for (let k = at - 1; k >= 0 && text.charCodeAt(k) === 0x5c; k--) n++;
  return (n & 1) === 1;
}

/** True when an unescaped quote is followed by whitespace and then a colon: `"key" :`. */
function hasSpacedColon(text: string): boolean {
  const re = /"[ \t\r\n]+:/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (!escaped(text, m.index)) return true;
  return false;
}

/**
 * False when `text` (valid JSON whose parse is `value`) certainly repeats no key in any
 * object; true when it may (then repeatedKeys decides).
 */
export function mayRepeatKeys(text: string, value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  let written = 0;
  for (let k = text.indexOf('":'); k !== -1; k = text.indexOf('":', k + 2)) if (!escaped(text, k)) written++;
  const held = countKeys(value);
  if (written !== held) return true;
  // Equal counts with some `"key" :` keys uncounted would hide as many repeats.
  return (text.indexOf(' :') !== -1 || text.indexOf('\t:') !== -1 || text.indexOf('\n:') !== -1 || text.indexOf('\r:') !== -1) && hasSpacedColon(text);
}

interface KeySeen {
  start: number;
  end: number;
  valueStart: number;
}

/** The raw text of the value that starts at `at` (cut for messages). */
function valueText(text: string, node: { start: number; end: number }): string {
  const raw = text.slice(node.start, node.end);
  return raw.length > 40 ? raw.slice(0, 40) + '…' : raw;
}

/**
 * Every key that a later key of the same object overrides, marked on the overridden key.
 * `text` must be valid JSON (the caller parsed it).
 */
export function repeatedKeys(text: string): OffsetProblem[] {
  const out: OffsetProblem[] = [];
  const objects: Array<Map<string, KeySeen>> = [];
  // Value spans of the properties of interest: where each key's value starts and ends.
  const pending: Array<{ problem: OffsetProblem; earlier: KeySeen; later: KeySeen; key: string }> = [];
  const valueEnds = new Map<number, number>();
  const containers: number[] = [];
  visit(
    text,
    {
      onObjectBegin: (offset) => {
        objects.push(new Map());
        containers.push(offset);
      },
      onObjectEnd: (offset, length) => {
        objects.pop();
        valueEnds.set(containers.pop()!, offset + length);
      },
      onArrayBegin: (offset) => {
        containers.push(offset);
      },
      onArrayEnd: (offset, length) => {
        valueEnds.set(containers.pop()!, offset + length);
      },
      onLiteralValue: (_v, offset, length) => {
        valueEnds.set(offset, offset + length);
      },
      onObjectProperty: (property, offset, length) => {
        const seen = objects[objects.length - 1];
        // The value starts after the colon and any whitespace.
        let v = offset + length;
        while (v < text.length && text.charCodeAt(v) !== 0x3a) v++;
        v++;
        while (v < text.length && (text.charCodeAt(v) === 0x20 || text.charCodeAt(v) === 0x09 || text.charCodeAt(v) === 0x0a || text.charCodeAt(v) === 0x0d)) v++;
        const here: KeySeen = { start: offset, end: offset + length, valueStart: v };
        const earlier = seen.get(property);
        if (earlier) {
          const problem: OffsetProblem = { raw: { kind: CODES.repeatedKey, message: '', path: [], target: 'key' }, start: earlier.start, end: earlier.end };
          out.push(problem);
          pending.push({ problem, earlier, later: here, key: property });
        }
        seen.set(property, here);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  for (const { problem, earlier, later, key } of pending) {
    const span = (k: KeySeen) => ({ start: k.valueStart, end: valueEnds.get(k.valueStart) ?? k.valueStart });
    problem.raw.message =
      `${preview(key)} is given again later in this object. JSON readers, tunix-rt included, keep only the last value ` +
      `(\`${valueText(text, span(later))}\`), so this one (\`${valueText(text, span(earlier))}\`) is ignored. Remove one of them.`;
  }
  return out;
}
