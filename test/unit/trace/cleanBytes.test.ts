// The byte-level fast path (cleanBytes.ts) against the full validator (checkLine): the fast
// path may refuse a clean line, but a line it accepts must be one checkLine finds without any
// problem, and its fingerprint must equal traceKeyLanes of the parsed record. Checked on the
// bad-input corpus, on hand-picked edge cases and on thousands of random mutations.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { AT_LIMITS, CORPUS, line } from './corpus';
import { cleanLineEnd, isCleanTraceLine } from '../../../src/core/trace/cleanBytes';
import { lanes, traceKeyLanes } from '../../../src/core/trace/hash';
import { checkLine } from '../../../src/core/trace/validate';
import { validateTraceFile, validateTraceJsonl } from '../../../src/core/trace/fileScan';

/** Runs both paths on one line; returns whether the fast path accepted it. */
function compare(text: string): boolean {
  const bytes = Buffer.from(text + '\n');
  const accepted = isCleanTraceLine(bytes, 0, bytes.length);
  if (!accepted) return false;
  const fast = [lanes[0], lanes[1]];
  assert.equal(cleanLineEnd, bytes.length - 1, `line end of ${JSON.stringify(text)}`);
  const full = checkLine(text);
  assert.deepEqual(full.problems.map((p) => p.raw.message), [], `the fast path accepted a line with problems: ${JSON.stringify(text)}`);
  assert.ok(full.record, `accepted without a record: ${JSON.stringify(text)}`);
  traceKeyLanes(full.record);
  assert.deepEqual(fast, [lanes[0], lanes[1]], `fingerprints differ for ${JSON.stringify(text)}`);
  return true;
}

const steps = (...contents: string[]) => contents.map((content, i) => ({ i, type: 'process', content }));
const rec = (extra: Record<string, unknown> = {}) => ({ trace_version: '1.0', prompt: 'What is 2 + 2?', final_answer: '4', steps: steps('2 + 2', '= 4'), ...extra });

/** Clean lines the fast path should take, in many shapes. */
const CLEAN: string[] = [
  line(1),
  line(2, { id: 'abc' }),
  line(3, { id: null, meta: null }),
  JSON.stringify(rec()),
  JSON.stringify(rec({ meta: { a: [1, -2.5e+3, 0.25, true, false, null, { b: 'c\\"d' }], e: {}, f: [] } })),
  JSON.stringify(rec({ prompt: 'Añadir: ¿2 + 2? 😀 中文' })),
  JSON.stringify(rec({ prompt: 'odd', final_answer: 'é', steps: steps('ends with é') })),
  JSON.stringify(rec({ prompt: 'tab\there, newline\nthere, quote " and backslash \\ and \u0001' })),
  JSON.stringify({ steps: steps('x = 4'), final_answer: '4', prompt: 'reordered', trace_version: '2' }),
  JSON.stringify(rec({ steps: [{ content: '4', type: 'result', i: 7 }, { type: 't', i: 9, content: 'again 4' }] })),
  ' \t{ "trace_version" : "1.0" , "prompt" : "spaced" , "final_answer" : "4" , "steps" : [ { "i" : 0 , "type" : "t" , "content" : "4" } ] } \t',
  '{"trace_version":"1.0","prompt":"\\u0041\\u00e9\\ud83d\\ude00\\/","final_answer":"4","steps":[{"i":0,"type":"\\t","content":"4"}]}',
  JSON.stringify(rec({ steps: steps('4', '3', 'so the answer is 4') })),
  JSON.stringify(rec({ steps: [{ i: 123456789012345, type: 't', content: '4' }] })),
  // The same key in different objects, and keys of equal length: no key repeats within an object.
  JSON.stringify(rec({ meta: { ab: { x: 1, ab: 2 }, ac: { x: [{ x: 1 }, { x: 2 }] }, x: 'x', 'é': 1, e: 2 } })),
  JSON.stringify(rec({ trace_version: 'v'.repeat(64), prompt: 'p'.repeat(50_000), steps: steps('c'.repeat(19_999) + '4') })),
];

/** Lines the fast path must refuse (checkLine reports something, or it cannot be sure). */
const REFUSED: string[] = [
  JSON.stringify(rec({ extra: 1 })),
  JSON.stringify(rec({ steps: [{ i: 0, type: 't', content: '4', note: 'x' }] })),
  JSON.stringify(rec({ final_answer: '5' })), // no step mentions it
  JSON.stringify(rec({ final_answer: 'FOUR', steps: steps('four') })), // mentioned ignoring case: clean, but checkLine decides
  JSON.stringify(rec({ steps: [{ i: 1, type: 't', content: '4' }, { i: 0, type: 't', content: '4' }] })),
  JSON.stringify(rec({ steps: [{ i: 0, type: 't', content: '4' }, { i: 0, type: 't', content: '4' }] })),
  JSON.stringify(rec({ steps: [{ i: 1.5, type: 't', content: '4' }] })),
  JSON.stringify(rec({ steps: [{ i: 1e3, type: 't', content: '4' }] })).replace('1000', '1e3'),
  JSON.stringify(rec({ steps: [{ i: 2 ** 53, type: 't', content: '4' }] })),
  JSON.stringify(rec({ trace_version: 'v'.repeat(65) })),
  JSON.stringify(rec({ trace_version: '😀'.repeat(17) })), // 68 bytes, 17 characters: clean, left to checkLine
  JSON.stringify(rec({ prompt: '' })),
  JSON.stringify(rec({ id: '' })),
  JSON.stringify(rec({ meta: [1] })),
  JSON.stringify(rec({ steps: [] })),
  JSON.stringify(rec({ steps: ['4'] })),
  JSON.stringify(rec()).replace('"prompt":"What is 2 + 2?"', '"prompt":"a","prompt":"b"'),
  JSON.stringify(rec()).replace('"prompt"', '"\\u0070rompt"'),
  JSON.stringify(rec({ meta: { a: 1, b: { c: 1, d: 2 } } })).replace('"d"', '"c"'), // a meta key repeated (TRC105)
  JSON.stringify(rec({ meta: { a: 1, b: 2 } })).replace('"b"', '"a"'),
  JSON.stringify(rec({ meta: { a: 1, b: 2 } })).replace('"b"', '"\\u0062"'), // an escaped key: raw bytes cannot compare it
  JSON.stringify(rec({ meta: Object.fromEntries(Array.from({ length: 65 }, (_, k) => [`k${k}`, k])) })), // more keys than the scanner tracks
  JSON.stringify(rec()) + ' x',
  JSON.stringify(rec()) + JSON.stringify(rec()),
  JSON.stringify(rec()).replace(',', '\r,'), // a lone CR: a line break for VS Code
  '\uFEFF' + JSON.stringify(rec()),
  '',
  '   ',
  '[]',
  JSON.stringify(rec({ meta: { deep: JSON.parse('['.repeat(100) + ']'.repeat(100)) } })),
];

describe('clean-line fast path (cleanBytes) against checkLine', () => {
  it('accepts clean lines of many shapes, with the same fingerprint as the parsed record', () => {
    for (const text of CLEAN) assert.ok(compare(text), `refused a clean line: ${JSON.stringify(text).slice(0, 200)}`);
  });

  it('takes a trailing CR before the LF, and a last line without LF', () => {
    const text = JSON.stringify(rec());
    const crlf = Buffer.from(text + '\r\n');
    assert.ok(isCleanTraceLine(crlf, 0, crlf.length));
    assert.equal(cleanLineEnd, crlf.length - 1);
    const last = Buffer.from(text);
    assert.ok(isCleanTraceLine(last, 0, last.length));
    assert.equal(cleanLineEnd, last.length);
    // The record must end at the given bound, even if the buffer goes on.
    assert.equal(isCleanTraceLine(last, 0, last.length - 1), false);
  });

  it('refuses what checkLine flags or what raw bytes cannot decide', () => {
    for (const text of REFUSED) assert.equal(compare(text), false, `accepted: ${JSON.stringify(text).slice(0, 200)}`);
  });

  it('never accepts a corpus record that checkLine flags; accepts the at-limit ones it can prove', () => {
    for (const c of CORPUS) assert.equal(compare(c.text), false, c.name);
    for (const c of AT_LIMITS) compare(c.text);
  });

  it('agrees with checkLine on 20,000 random mutations of clean lines', () => {
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const alphabet = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '0', '1', '-', '.', 'e', 'n', 'u', 'l', 't', 'x', '\t', '\u0000', 'é', '😀', 'i', 'a', '4'];
    let accepted = 0;
    for (let n = 0; n < 20_000; n++) {
      const base = Array.from(CLEAN[n % CLEAN.length]);
      if (base.length > 2000) continue;
      for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
        const at = Math.floor(rand() * base.length);
        const r = rand();
        if (r < 0.34) base.splice(at, 1);
        else if (r < 0.67) base.splice(at, 0, alphabet[Math.floor(rand() * alphabet.length)]);
        else base[at] = alphabet[Math.floor(rand() * alphabet.length)];
      }
      if (compare(base.join(''))) accepted++;
    }
    // Many mutations land inside strings and leave the record clean: the comparison ran on both sides.
    assert.ok(accepted > 1000, `only ${accepted} mutated lines were accepted`);
  });

  it('a file scanned from bytes gives exactly what the text path gives, duplicates across both paths included', async () => {
    const variants = [
      '{"trace_version":"1.0","prompt":"A\\u00e9","final_answer":"4","steps":[{"i":0,"type":"t","content":"4"}]}',
      '{"trace_version":"2.0","prompt":"Aé","final_answer":"4","steps":[{"i":0,"type":"t","content":"4"}],"extra":1}', // same content, a warning: text path
      '{"prompt":"\\u0041\\u00E9","final_answer":"4","steps":[{"type":"t","content":"4","i":0}],"trace_version":"x"}',
    ];
    const lines = [...CLEAN, ...REFUSED.filter((t) => !t.startsWith('\uFEFF')), ...CORPUS.map((c) => c.text), ...variants, ...CLEAN];
    const text = lines.join('\n') + '\n';
    const file = path.join(tempDir(), 'mixed.jsonl');
    fs.writeFileSync(file, text);
    const expected = validateTraceJsonl(text);
    assert.ok(expected.problems.filter((p) => p.code === 'TRC104').length >= CLEAN.length + 2);
    for (const chunkBytes of [undefined, 4096, 100]) assert.deepEqual(await validateTraceFile(file, { chunkBytes }), expected, `chunkBytes ${chunkBytes}`);
  });
});
