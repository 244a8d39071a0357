import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { AT_LIMITS, CORPUS, line, validRecord, type CorpusCase } from './corpus';
import { validateTraceLine, validateTraceObject, validateTraceText } from '../../../src/core/trace/validate';
import { validateTraceFile, validateTraceJsonl } from '../../../src/core/trace/fileScan';
import type { TraceProblem } from '../../../src/core/trace/problems';

/** The expected 1-based, end-exclusive columns of a corpus case. */
function expectedRange(c: CorpusCase): { column: number; endColumn: number } {
  if (c.atEnd) return { column: c.text.length + 1, endColumn: c.text.length + 1 };
  if (c.whole) return { column: 1, endColumn: c.text.length + 1 };
  const from = c.after ? c.text.indexOf(c.after) + c.after.length : 0;
  const at = c.text.indexOf(c.mark!, from);
  assert.ok(at >= 0, `marker ${JSON.stringify(c.mark)} not in ${c.name}`);
  return { column: at + 1, endColumn: at + 1 + (c.len ?? c.mark!.length) };
}

function assertCase(c: CorpusCase, problems: TraceProblem[], lineNo: number): void {
  const hit = problems.find((p) => p.code === c.code);
  assert.ok(hit, `${c.name}: expected ${c.code}, got ${JSON.stringify(problems.map((p) => `${p.code} ${p.message}`))}`);
  const want = expectedRange(c);
  assert.deepEqual(
    { line: hit.line, column: hit.column, endLine: hit.endLine, endColumn: hit.endColumn },
    { line: lineNo, column: want.column, endLine: lineNo, endColumn: want.endColumn },
    `${c.name}: range of ${c.code} (${hit.message})`,
  );
  if (c.says) assert.match(hit.message, c.says, c.name);
  assert.equal(hit.severity, c.code.startsWith('TRC1') ? 'warning' : 'error', c.name);
}

describe('trace validator: the bad-input corpus', () => {
  it(`has at least 40 distinct malformed records (${CORPUS.length})`, () => {
    assert.ok(CORPUS.length >= 40);
    assert.equal(new Set(CORPUS.map((c) => c.text)).size, CORPUS.length);
  });

  for (const c of CORPUS) {
    it(`${c.code} ${c.name}`, () => {
      const r = validateTraceLine(c.text, 7);
      assertCase(c, r.problems, 7);
      const isWarning = c.code.startsWith('TRC1');
      // Warnings leave the record importable; errors withhold it.
      assert.equal(r.record !== undefined, isWarning && r.problems.every((p) => p.severity === 'warning'), c.name);
    });
  }

  for (const c of AT_LIMITS) {
    it(`valid at the limit: ${c.name}`, () => {
      const r = validateTraceLine(c.text, 1);
      assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), [], c.name);
      assert.ok(r.record, c.name);
    });
  }

  it('a file mixing every corpus record with valid ones: each bad line gets its code at its range, the valid lines stay clean', async () => {
    const lines: string[] = [];
    const expectAt = new Map<number, CorpusCase>();
    CORPUS.forEach((c, k) => {
      lines.push(line(1000 + k));
      lines.push(c.text);
      expectAt.set(lines.length, c);
    });
    lines.push(line(5000));
    const text = lines.join('\n') + '\n';
    const dir = tempDir();
    const file = path.join(dir, 'corpus.trace.jsonl');
    fs.writeFileSync(file, text);
    // Small chunks: lines straddle chunk boundaries.
    for (const result of [validateTraceJsonl(text), await validateTraceFile(file), await validateTraceFile(file, { chunkBytes: 4096 })]) {
      for (const [n, c] of expectAt) assertCase(c, result.problems.filter((p) => p.line === n), n);
      const validLines = new Set(lines.map((_, k) => k + 1).filter((n) => !expectAt.has(n)));
      assert.deepEqual(result.problems.filter((p) => validLines.has(p.line)), []);
      assert.equal(result.summary.records, lines.length);
      assert.equal(result.summary.valid, validLines.size + CORPUS.filter((c) => c.code.startsWith('TRC1')).length);
    }
  });

  it('an enormous line (32 MB prompt) is reported, not a crash', () => {
    const big = 'y'.repeat(32 * 1024 * 1024);
    const text = line(1, { prompt: big });
    const r = validateTraceLine(text, 1);
    assert.equal(r.problems.length, 1);
    const p = r.problems[0];
    assert.equal(p.code, 'TRC006');
    assert.equal(p.column, text.indexOf('"yyy') + 1);
    assert.equal(p.endColumn, p.column + big.length + 2);
    assert.match(p.message, /33,554,432 characters long; the limit is 50,000/);
    // Truncated in the middle of that string: located at the string, cheaply.
    const cut = text.slice(0, 20 * 1024 * 1024);
    const t = validateTraceLine(cut, 1);
    assert.equal(t.problems[0].code, 'TRC001');
    assert.equal(t.problems[0].column, text.indexOf('"yyy') + 1);
    assert.equal(t.problems[0].endColumn, cut.length + 1);
  });
});

describe('trace validator: lines and texts', () => {
  it('a valid line yields the record and no problems', () => {
    const r = validateTraceLine(line(1), 3);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.record, validRecord(1));
  });

  it('blank lines are neither records nor problems', () => {
    for (const t of ['', '   ', '\t', '\r']) assert.deepEqual(validateTraceLine(t, 1), { problems: [], blank: true });
  });

  it('a trailing CR and a leading BOM are tolerated, and columns stay relative to the given text', () => {
    assert.deepEqual(validateTraceLine(line(1) + '\r', 1).problems, []);
    assert.deepEqual(validateTraceLine('\uFEFF' + line(1), 1).problems, []);
    const r = validateTraceLine('\uFEFF{"prompt": 5}', 1);
    const p = r.problems.find((x) => x.code === 'TRC004')!;
    assert.equal(p.column, '\uFEFF{"prompt": '.length + 1);
  });

  it('several problems on one line come sorted by column', () => {
    const r = validateTraceLine(JSON.stringify({ prompt: 1, trace_version: '', final_answer: null, steps: [] }), 1);
    const cols = r.problems.map((p) => p.column);
    assert.deepEqual(cols, [...cols].sort((a, b) => a - b));
    assert.deepEqual(r.problems.map((p) => p.code), ['TRC004', 'TRC005', 'TRC004', 'TRC007']);
  });

  it('a pretty-printed .json trace is placed across lines', () => {
    const text = JSON.stringify({ ...validRecord(1), prompt: 5 }, null, 2);
    const r = validateTraceText(text);
    assert.equal(r.problems.length, 1);
    const lines = text.split('\n');
    const n = lines.findIndex((l) => l.includes('"prompt"'));
    assert.deepEqual(r.problems[0], { ...r.problems[0], line: n + 1, column: lines[n].indexOf('5') + 1, endLine: n + 1, endColumn: lines[n].indexOf('5') + 2 });
    assert.equal(validateTraceText('').problems[0].code, 'TRC001');
  });

  it('validateTraceObject checks parsed values and names the path', () => {
    const ok = validateTraceObject(validRecord(2));
    assert.ok(ok.record);
    const bad = validateTraceObject({ ...validRecord(2), steps: [{ i: 0, type: 'a', content: 'b' }, { i: 0, type: 'a', content: '3' }] });
    assert.equal(bad.record, undefined);
    assert.deepEqual(bad.problems.map((p) => [p.code, p.path]), [['TRC009', 'steps[1].i']]);
    assert.deepEqual(validateTraceObject('x').problems.map((p) => p.code), ['TRC002']);
  });

  it('duplicate keys: the value JSON.parse keeps (the last) is the one checked and marked', () => {
    const text = '{"trace_version": "1.0", "prompt": "ok", "prompt": 5, "final_answer": "1", "steps": [{"i": 0, "type": "t", "content": "1"}]}';
    const p = validateTraceLine(text, 1).problems.find((x) => x.code === 'TRC004')!;
    assert.equal(p.column, text.indexOf('5') + 1);
  });

  it('a repeated key is a warning on each overridden key; the record keeps the last value', () => {
    const text = line(1).replace('"final_answer":"2"', '"final_answer":"7","final_answer":"9","final_answer":"2"');
    const r = validateTraceLine(text, 1);
    assert.equal(r.record?.final_answer, '2', 'the record is kept, as JSON.parse reads it');
    const repeats = r.problems.filter((p) => p.code === 'TRC105');
    assert.deepEqual(repeats.map((p) => [p.severity, p.column]), [
      ['warning', text.indexOf('"final_answer"') + 1],
      ['warning', text.indexOf('"final_answer"', text.indexOf('"final_answer"') + 1) + 1],
    ]);
    assert.match(repeats[0].message, /\(`"9"`\), so this one \(`"7"`\) is ignored/);
    assert.match(repeats[1].message, /\(`"2"`\), so this one \(`"9"`\) is ignored/);
  });

  it('a repeated key is found across lines of a pretty-printed .json trace, with a space before the colon', () => {
    const text = JSON.stringify(validRecord(1), null, 2).replace('"source": "corpus"', '"source" : "a",\n    "source": "corpus"');
    const r = validateTraceText(text);
    const lines = text.split('\n');
    const n = lines.findIndex((l) => l.includes('"source" :'));
    assert.deepEqual(r.problems.map((p) => [p.code, p.line, p.column]), [['TRC105', n + 1, lines[n].indexOf('"source"') + 1]]);
  });

  it('quotes and colons inside strings, and equal keys in different objects, are not repeats', () => {
    const tricky = line(1, { prompt: 'He wrote {\"a\": 1, \"a\": 2} and "b" : 3', meta: { a: { a: 1 }, b: [{ a: 1 }, { a: 2 }], '\\': 1, 'x\\': 2 } });
    assert.deepEqual(validateTraceLine(tricky, 1).problems, []);
    // A string ending in a backslash: its closing quote is not escaped, the next key counts.
    const slash = line(1, { meta: { a: 'ends with \\', b: 'x' } });
    assert.deepEqual(validateTraceLine(slash, 1).problems, []);
    assert.deepEqual(validateTraceLine(slash.replace('"b"', '"a"'), 1).problems.map((p) => p.code), ['TRC105']);
  });

  it('the final answer counts as mentioned ignoring case and surrounding spaces', () => {
    const text = line(1, { final_answer: ' NOSAER ', steps: [{ i: 0, type: 'result', content: "Reversed: 'nosaer'" }] });
    assert.deepEqual(validateTraceLine(text, 1).problems, []);
  });
});

describe('trace files', () => {
  it('CRLF, a BOM, blank lines and a last line without newline', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'mixed.jsonl');
    const text = '\uFEFF' + [line(1), '', '   ', '{"prompt": 3', line(2)].join('\r\n');
    fs.writeFileSync(file, text);
    for (const chunkBytes of [undefined, 7, 64]) {
      const r = await validateTraceFile(file, { chunkBytes });
      assert.deepEqual(r.summary, { lines: 5, records: 3, valid: 2, invalid: 1, errors: 1, warnings: 0 });
      assert.deepEqual(r.problems.map((p) => [p.code, p.line, p.column]), [['TRC001', 4, 13]]);
    }
    assert.deepEqual(validateTraceJsonl(text).problems.map((p) => [p.code, p.line, p.column]), [['TRC001', 4, 13]]);
  });

  it('lone CR line breaks count as VS Code counts them', () => {
    const r = validateTraceJsonl([line(1), '{', line(2)].join('\r'));
    assert.deepEqual(r.problems.map((p) => [p.code, p.line]), [['TRC001', 2]]);
  });

  it('bytes that are not UTF-8 are reported on their line and column; other lines still validated', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'binary.jsonl');
    const bad = Buffer.concat([Buffer.from('{"prompt": "é'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    fs.writeFileSync(file, Buffer.concat([Buffer.from(line(1) + '\n'), bad, Buffer.from('\n{"x"\n' + line(2) + '\n')]));
    for (const chunkBytes of [undefined, 5]) {
      const r = await validateTraceFile(file, { chunkBytes });
      assert.deepEqual(r.problems.map((p) => [p.code, p.line, p.column, p.endColumn]), [
        ['TRC011', 2, 14, 15],
        ['TRC001', 3, 5, 5],
      ]);
      assert.match(r.problems[0].message, /0xFF is not valid UTF-8/);
      assert.equal(r.summary.valid, 2);
    }
  });

  it('a trace repeated in the file is a warning that names the first line', async () => {
    const reordered = JSON.stringify({ steps: validRecord(1).steps, final_answer: '2', prompt: 'What is 1 + 1?', trace_version: '2.0' });
    const r = validateTraceJsonl([line(1), line(2), reordered, line(1)].join('\n'));
    assert.deepEqual(r.problems.map((p) => [p.code, p.line, p.column, p.endColumn]), [
      ['TRC104', 3, 1, reordered.length + 1],
      ['TRC104', 4, 1, line(1).length + 1],
    ]);
    assert.match(r.problems[0].message, /repeats line 1/);
    assert.equal(r.summary.valid, 4);
  });

  it('a missing file or a folder is a UserError with the path', async () => {
    const dir = tempDir();
    await assert.rejects(validateTraceFile(path.join(dir, 'nope.jsonl')), (e: Error) => e.name === 'UserError' && /File not found: .*nope\.jsonl/.test(e.message));
    await assert.rejects(validateTraceFile(dir), (e: Error) => e.name === 'UserError' && /is a folder/.test(e.message));
  });

  it('a line longer than the read buffer is read whole', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'long.jsonl');
    const long = line(1, { meta: { blob: 'z'.repeat(100_000) } });
    fs.writeFileSync(file, [line(0), long, '{"bad": ', line(2)].join('\n'));
    const r = await validateTraceFile(file, { chunkBytes: 1024 });
    assert.deepEqual(r.problems.map((p) => [p.code, p.line]), [['TRC001', 3]]);
    assert.equal(r.summary.valid, 3);
  });
});
