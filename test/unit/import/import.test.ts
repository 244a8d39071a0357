import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countTraces, getTrace, getTraces, openStore, prepareTrace, queryTraces, type Store } from '../../../src/core/store';
import { importTraces, parseModelTurn, readLines, ID_CONFLICT_CODE } from '../../../src/core/import';
import { exportLine, EXPORT_FORMATS } from '../../../src/core/dataset/formats';
import type { TraceRecord } from '../../../src/core/trace/types';
import { tempDir } from '../helpers';

function rec(n: number, over: Partial<TraceRecord> = {}): TraceRecord {
  return {
    trace_version: '1.0',
    prompt: `Reverse the string: 'word${n}'`,
    final_answer: `${n}drow`,
    steps: [
      { i: 0, type: 'process', content: `Characters: w o r d ${n}` },
      { i: 1, type: 'result', content: `Reversed: '${n}drow'` },
    ],
    meta: { source: 'unit', category: n % 2 ? 'odd' : 'even', n },
    ...over,
  };
}

const line = (r: unknown) => JSON.stringify(r);

describe('import', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = tempDir();
    store = await openStore(path.join(dir, 'db', 'tunix.db'));
  });
  after(() => store.close());

  it('streams a file: valid lines stored, invalid ones skipped and reported at their line with the validator code', async () => {
    const file = path.join(dir, 'mixed.jsonl');
    const lines = [
      '\uFEFF' + line(rec(1)), // BOM on the first line
      '',
      line(rec(2)) + '\r', // CRLF
      '{"trace_version": "1.0", "prompt": ', // truncated JSON
      line({ ...rec(3), prompt: 42 }),
      line({ ...rec(4), steps: [] }),
      '   ',
      line(rec(5)),
    ];
    const bytes = Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from(line(rec(6)) + '\n')]);
    fs.writeFileSync(file, bytes);
    const progress: number[] = [];
    const report = await importTraces(store, [file], { onProgress: (p) => progress.push(p.bytesDone) });
    assert.equal(report.imported, 4);
    assert.equal(report.duplicates, 0);
    assert.equal(report.invalid, 4);
    assert.deepEqual(
      report.invalidLines.map((l) => [l.line, l.code]),
      [
        [4, 'TRC001'],
        [5, 'TRC004'],
        [6, 'TRC007'],
        [9, 'TRC011'],
      ],
    );
    assert.ok(report.invalidLines.every((l) => l.file === file && l.message.length > 10));
    assert.equal(report.invalidLines[1].column, lines[4].indexOf(':42') + 2, 'the column of the bad value, as the diagnostics give it');
    assert.equal(report.files[0].lines, 10);
    assert.equal(progress.at(-1), bytes.length);
    const stored = getTrace(store, prepareTrace(rec(1)).id)!;
    assert.deepEqual(stored.record, { id: stored.id, ...rec(1) });
    assert.equal(stored.origin, `${file}:1`);
  });

  it('importing the same file again adds nothing and reports duplicates', async () => {
    const file = path.join(dir, 'mixed.jsonl');
    const report = await importTraces(store, [file]);
    assert.deepEqual([report.imported, report.duplicates, report.invalid], [0, 4, 4]);
  });

  it('a folder imports every *.jsonl below it, skipping hidden folders and other files', async () => {
    const root = path.join(dir, 'folder');
    fs.mkdirSync(path.join(root, 'sub', 'deeper'), { recursive: true });
    fs.mkdirSync(path.join(root, '.hidden'));
    fs.writeFileSync(path.join(root, 'a.jsonl'), line(rec(10)) + '\n');
    fs.writeFileSync(path.join(root, 'sub', 'deeper', 'b.JSONL'), line(rec(11)) + '\n' + line(rec(12)));
    fs.writeFileSync(path.join(root, '.hidden', 'c.jsonl'), line(rec(13)) + '\n');
    fs.writeFileSync(path.join(root, 'notes.txt'), 'not traces\n');
    const report = await importTraces(store, [root]);
    assert.equal(report.imported, 3);
    assert.deepEqual(
      report.files.map((f) => path.relative(root, f.file)),
      ['a.jsonl', path.join('sub', 'deeper', 'b.JSONL')],
    );
    await assert.rejects(importTraces(store, [path.join(root, 'missing.jsonl')]), /File not found: .*missing\.jsonl/);
  });

  it('an id used by another trace is reported (IMP001), the rest of the batch is stored', async () => {
    const file = path.join(dir, 'ids.jsonl');
    fs.writeFileSync(file, [line(rec(20, { id: 'fixed-id' })), line(rec(21, { id: 'fixed-id' })), line(rec(22))].join('\n'));
    const report = await importTraces(store, [file]);
    assert.deepEqual([report.imported, report.duplicates, report.invalid], [2, 0, 1]);
    assert.equal(report.invalidLines[0].code, ID_CONFLICT_CODE);
    assert.equal(report.invalidLines[0].line, 2);
    assert.match(report.invalidLines[0].message, /"fixed-id" already belongs/);
    assert.equal(getTrace(store, 'fixed-id')!.record.prompt, rec(20).prompt);
  });

  it('counts every invalid line but lists at most maxInvalidLines', async () => {
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, Array.from({ length: 10 }, (_, k) => `{"broken": ${k}`).join('\n'));
    const report = await importTraces(store, [file], { maxInvalidLines: 3 });
    assert.equal(report.invalid, 10);
    assert.equal(report.invalidLines.length, 3);
    assert.equal(report.invalidLinesTruncated, true);
  });

  it('lines far longer than the read buffer: a valid 1000-step trace is stored, a 20 MB line is reported', async () => {
    const file = path.join(dir, 'long.jsonl');
    const big = rec(30, { steps: Array.from({ length: 1000 }, (_, i) => ({ i, type: 'step', content: `step ${i} `.repeat(60) })) });
    fs.writeFileSync(file, [line(big), line({ ...rec(31), prompt: 'x'.repeat(20 * 1024 * 1024) }), line(rec(32))].join('\n'));
    const report = await importTraces(store, [file], { chunkBytes: 16 * 1024 });
    assert.deepEqual([report.imported, report.invalid], [2, 1]);
    assert.equal(report.invalidLines[0].line, 2);
    assert.equal(report.invalidLines[0].code, 'TRC006');
    assert.equal(getTrace(store, prepareTrace(big).id)!.record.steps.length, 1000);
  });

  it('reads lines as VS Code numbers them (LF, CRLF, lone CR), across chunk borders', async () => {
    const file = path.join(dir, 'breaks.txt');
    fs.writeFileSync(file, 'a\r\nb\rc\n\nd' + 'e'.repeat(100) + '\r\nf');
    const got: string[] = [];
    for await (const group of readLines(file, { chunkBytes: 8 })) for (const l of group) got.push(`${l.line}:${l.text}`);
    assert.deepEqual(got, ['1:a', '2:b', '3:c', '4:', `5:d${'e'.repeat(100)}`, '6:f']);
  });

  it('cancellation keeps the committed batches and nothing after them', async () => {
    const file = path.join(dir, 'many.jsonl');
    fs.writeFileSync(file, Array.from({ length: 500 }, (_, k) => line(rec(1000 + k))).join('\n'));
    const before = countTraces(store);
    const abort = new AbortController();
    const report = await importTraces(store, [file], {
      batchSize: 100,
      signal: abort.signal,
      onBatchCommitted: () => abort.abort(),
    });
    assert.equal(report.cancelled, true);
    assert.equal(report.imported, 100);
    assert.equal(countTraces(store) - before, 100);
  });

  it('our own export formats import back as the same traces; re-importing them into the source database finds duplicates', async () => {
    const source = await openStore(path.join(dir, 'source.db'));
    const originals = Array.from({ length: 4 }, (_, k) => rec(2000 + k, { steps: [{ i: 0, type: 'a', content: `line one\nline two ${k}` }, { i: 1, type: 'b', content: '2. not a new step' }] }));
    const srcFile = path.join(dir, 'originals.jsonl');
    fs.writeFileSync(srcFile, originals.map(line).join('\n'));
    await importTraces(source, [srcFile]);
    const stored = getTraces(source, queryTraces(source, { limit: 10 }).items.map((i) => i.id));
    for (const format of EXPORT_FORMATS.filter((f) => f !== 'eval_items')) {
      const file = path.join(dir, `export-${format}.jsonl`);
      fs.writeFileSync(file, stored.map((t) => exportLine(format, { id: t.id, createdAt: t.importedAt, record: t.record })).join(''));
      const target = await openStore(path.join(dir, `target-${format}.db`));
      const report = await importTraces(target, [file]);
      assert.deepEqual([report.imported, report.invalid], [4, 0], `${format}: ${JSON.stringify(report.invalidLines)}`);
      for (const t of stored) {
        const back = getTrace(target, t.id);
        assert.ok(back, `${format} keeps the trace id ${t.id}`);
        assert.equal(back.record.prompt, t.record.prompt, format);
        assert.equal(back.record.final_answer, t.record.final_answer, format);
        assert.deepEqual(
          back.record.steps.map((s) => s.content),
          t.record.steps.map((s) => s.content),
          format,
        );
        assert.deepEqual(back.record.meta, t.record.meta, `${format} meta without the export's own keys`);
      }
      await target.close();
      const again = await importTraces(source, [file]);
      assert.deepEqual([again.imported, again.duplicates, again.invalid], [0, 4, 0], `${format} re-imported into its source`);
    }
    await source.close();
  });

  it('parseModelTurn splits numbered steps even when a step spans lines', () => {
    assert.deepEqual(parseModelTurn('Reasoning:\n1. a\nstill a\n2. b\nAnswer: 42'), { steps: ['a\nstill a', 'b'], answer: '42' });
    assert.deepEqual(parseModelTurn('Answer: x'), { steps: [], answer: 'x' });
    assert.equal(parseModelTurn('no answer here'), undefined);
  });
});
