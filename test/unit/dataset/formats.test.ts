import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { derivedUuid, EXPORT_FORMATS, exportLine, parseExportFormat, type ExportTrace } from '../../../src/core/dataset/formats';
import { pyJson } from '../../../src/core/dataset/pyJson';
import { repoRoot } from '../helpers';

// The golden files are written by golden/make_golden.py with Python's json.dumps, following
// docs/architecture.md ("Dataset export formats"), independently of the TypeScript exporter. Each format must match byte for byte.
const golden = path.join(repoRoot, 'test', 'unit', 'dataset', 'golden');

interface Row extends ExportTrace {
  exampleId: string;
}

function inputRows(): Row[] {
  return fs
    .readFileSync(path.join(golden, 'input.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const o = JSON.parse(l);
      return { id: o.id, createdAt: o.created_at, record: o.record, exampleId: o.example_id };
    });
}

describe('dataset export formats (golden files)', () => {
  const rows = inputRows();
  const exampleIds = new Map(rows.map((r) => [r.id, r.exampleId]));
  for (const format of EXPORT_FORMATS) {
    it(`${format} matches golden/${format}.jsonl byte for byte`, () => {
      const got = rows.map((r) => exportLine(format, r, { exampleId: (id) => exampleIds.get(id)! })).join('');
      const want = fs.readFileSync(path.join(golden, `${format}.jsonl`), 'utf8');
      assert.equal(Buffer.compare(Buffer.from(got, 'utf8'), Buffer.from(want, 'utf8')), 0, firstDifference(got, want));
    });
  }

  it("every golden line parses back to the fields of tunix-rt's formats", () => {
    const parse = (f: string) => fs.readFileSync(path.join(golden, `${f}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(parse('trace')[0]), ['id', 'prompts', 'trace_steps', 'final_answer', 'metadata']);
    assert.deepEqual(Object.keys(parse('tunix_sft')[0]), ['id', 'prompts', 'final_answer', 'metadata']);
    assert.deepEqual(Object.keys(parse('training_example')[0]), ['id', 'prompt', 'response', 'metadata']);
    assert.equal(parse('training_example')[1].metadata.source_trace_id, rows[1].id);
    assert.equal(parse('tunix_sft')[0].metadata.format, 'tunix_sft');
    // Steps in stored order, not sorted by `i`.
    assert.deepEqual(parse('trace')[1].trace_steps, rows[1].record.steps.map((s) => s.content));
  });
});

describe('training_example ids', () => {
  it('are uuids derived from the dataset and the trace: the same on re-export, different across traces and datasets', () => {
    const [row] = inputRows();
    const line = (ns: string) => JSON.parse(exportLine('training_example', row, { idNamespace: ns })).id as string;
    assert.match(line('build-1'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(line('build-1'), line('build-1'));
    assert.notEqual(line('build-1'), line('build-2'));
    assert.notEqual(derivedUuid('b', 'trace-1'), derivedUuid('b', 'trace-2'));
  });
});

describe('pyJson (Python json.dumps layout)', () => {
  it('matches json.dumps on separators, escapes and key order', () => {
    assert.equal(pyJson({ b: 1, a: [1, 'x', null, true, {}], c: {} }), '{"b": 1, "a": [1, "x", null, true, {}], "c": {}}');
    assert.equal(pyJson('é😀\u2028\u007f\u0001'), '"\\u00e9\\ud83d\\ude00\\u2028\u007f\\u0001"');
    assert.equal(pyJson([]), '[]');
    assert.equal(pyJson({ skip: undefined, keep: 0 }), '{"keep": 0}');
  });

  it('parse(pyJson(x)) gives x back', () => {
    const value = { s: 'tab\t"quote" \\ ünï 😀', n: [0, -1.5, 1e21], o: { deep: [[{}]] } };
    assert.deepEqual(JSON.parse(pyJson(value)), value);
  });
});

describe('parseExportFormat', () => {
  it('accepts the five formats and names them when given another', () => {
    for (const f of EXPORT_FORMATS) assert.equal(parseExportFormat(f), f);
    assert.throws(() => parseExportFormat('csv'), /Unknown export format "csv".*trace, tunix_sft, training_example, messages, eval_items/);
  });
});

function firstDifference(a: string, b: string): string {
  let k = 0;
  while (k < a.length && a[k] === b[k]) k++;
  return `first difference at character ${k}:\n  got:  ${JSON.stringify(a.slice(Math.max(0, k - 40), k + 40))}\n  want: ${JSON.stringify(b.slice(Math.max(0, k - 40), k + 40))}`;
}
