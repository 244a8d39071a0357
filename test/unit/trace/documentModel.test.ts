import * as assert from 'node:assert/strict';
import { TraceDocumentModel, type LineEdit } from '../../../src/core/trace/documentModel';
import { validateTraceJsonl } from '../../../src/core/trace/fileScan';
import { CORPUS, line } from './corpus';

/** Applies an edit to a plain string the way the editor does (0-based line/character). */
function applyToText(text: string, e: LineEdit): string {
  const lines = text.split(/\r\n|\r|\n/);
  const offset = (l: number, c: number) => lines.slice(0, l).reduce((n, x) => n + x.length + 1, 0) + c;
  const normalized = lines.join('\n');
  return normalized.slice(0, offset(e.startLine, e.startCharacter)) + e.text + normalized.slice(offset(e.endLine, e.endCharacter));
}

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('incremental document model', () => {
  it('matches a full validation of the same text after hundreds of random edits', () => {
    const rand = rng(11);
    const pool = [line(1), line(2), line(1), '', CORPUS[0].text, CORPUS[20].text, CORPUS[50].text, line(3, { promt: 1 })];
    let text = Array.from({ length: 60 }, (_, k) => pool[k % pool.length]).join('\n');
    const model = new TraceDocumentModel(text);
    for (let k = 0; k < 400; k++) {
      const lines = text.split('\n');
      const sl = Math.floor(rand() * lines.length);
      const el = Math.min(lines.length - 1, sl + (rand() < 0.2 ? Math.floor(rand() * 3) : 0));
      const sc = Math.floor(rand() * (lines[sl].length + 1));
      const ec = sl === el ? sc + Math.floor(rand() * (lines[el].length - sc + 1)) : Math.floor(rand() * (lines[el].length + 1));
      const choices = ['x', '', '"', '}', '\n', `\n${pool[k % pool.length]}\n`, pool[(k * 3) % pool.length], '\r\n'];
      const e: LineEdit = { startLine: sl, startCharacter: sc, endLine: el, endCharacter: ec, text: choices[Math.floor(rand() * choices.length)] };
      text = applyToText(text, e);
      model.applyEdits([e]);
      if (k % 20 === 0 || k === 399) {
        assert.equal(model.lineCount, text.split('\n').length);
        assert.deepEqual(model.problems(), validateTraceJsonl(text).problems, `after edit ${k}`);
      }
    }
  });

  it('re-validates only the lines an edit touched, and shifts the others', () => {
    const lines = [line(1), '{"prompt": 1', line(2), line(3)];
    const model = new TraceDocumentModel(lines.join('\n'));
    assert.equal(model.validate(), 4);
    assert.deepEqual(model.problems().map((p) => p.line), [2]);
    // Typing inside line 3: one line re-checked.
    model.applyEdits([{ startLine: 2, startCharacter: 5, endLine: 2, endCharacter: 5, text: 'x' }]);
    assert.equal(model.validate(), 1);
    // Two lines inserted above the bad line: its problem moves down, nothing else re-checked but the new lines.
    model.applyEdits([{ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0, text: `${line(7)}\n${line(8)}\n` }]);
    assert.equal(model.validate(), 2, 'the two new lines; the line pushed down kept its text and result');
    assert.deepEqual(model.problems().filter((p) => p.code === 'TRC001').map((p) => p.line), [4]);
    // Deleting lines 1-2 moves it back up.
    model.applyEdits([{ startLine: 0, startCharacter: 0, endLine: 2, endCharacter: 0, text: '' }]);
    assert.deepEqual(model.problems().filter((p) => p.code === 'TRC001').map((p) => p.line), [2]);
  });

  it('reuses results by line text: undo, and cut-and-paste of a line, need no re-validation', () => {
    const model = new TraceDocumentModel([line(1), line(2), line(3)].join('\n'));
    model.validate();
    model.applyEdits([{ startLine: 1, startCharacter: 3, endLine: 1, endCharacter: 3, text: 'zz' }]);
    assert.equal(model.validate(), 1);
    model.applyEdits([{ startLine: 1, startCharacter: 3, endLine: 1, endCharacter: 5, text: '' }]);
    assert.equal(model.validate(), 0, 'undo restored a known line text');
    // Cut line 1 and paste it at the end.
    model.applyEdits([{ startLine: 0, startCharacter: 0, endLine: 1, endCharacter: 0, text: '' }]);
    model.applyEdits([{ startLine: 1, startCharacter: line(3).length, endLine: 1, endCharacter: line(3).length, text: '\n' + line(1) }]);
    assert.equal(model.validate(), 0, 'both the moved line and the line it was pasted after are known texts');
  });

  it('counts lines as VS Code does and reports duplicates across lines', () => {
    const model = new TraceDocumentModel(`${line(1)}\r\n${line(1)}\r\n`);
    assert.equal(model.lineCount, 3);
    const r = model.result();
    assert.deepEqual(r.problems.map((p) => [p.code, p.line]), [['TRC104', 2]]);
    assert.deepEqual(r.summary, { lines: 3, records: 2, valid: 2, invalid: 0, errors: 0, warnings: 1 });
  });

  it('caps the problem list but not the counts', () => {
    const model = new TraceDocumentModel(Array.from({ length: 50 }, () => '{').join('\n'));
    const r = model.result(10);
    assert.equal(r.problems.length, 10);
    assert.equal(r.summary.errors, 50);
    assert.equal(r.truncated, true);
  });

  it('a BOM at the start of the text is not part of line 1', () => {
    const model = new TraceDocumentModel('\uFEFF{"prompt": 1}');
    const p = model.problems().find((x) => x.code === 'TRC004')!;
    assert.equal(p.column, '{"prompt": '.length + 1);
  });
});
