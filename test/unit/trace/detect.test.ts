import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { fileLooksLikeTraces, looksLikeTraceFile, looksLikeTraceLine } from '../../../src/core/trace/detect';
import { line } from './corpus';

describe('trace file detection', () => {
  it('a record with two of prompt, steps, final_answer is a trace (even a broken one)', () => {
    assert.ok(looksLikeTraceLine(line(1)));
    assert.ok(looksLikeTraceLine('{"prompt": "p", "steps": []}'));
    assert.ok(looksLikeTraceLine('{"prompt": "p", "final_answer": "a", "steps": [{"i": 0'));
  });

  it('eval items, predictions, exported datasets and metrics are not', () => {
    for (const other of [
      '{"id": "e1", "prompt": "What is 2+2?", "expected_answer": "4"}',
      '{"trace_id": "t", "prediction": "4"}',
      '{"id": "x", "prompts": "p", "trace_steps": ["a"], "final_answer": "4", "metadata": {}}',
      '{"step": 10, "loss": 0.5, "timestamp": 1}',
      '[1, 2]',
      'not json',
    ]) assert.equal(looksLikeTraceLine(other), false, other);
  });

  it('judges the first non-blank line of a file', async () => {
    assert.ok(looksLikeTraceFile(['', '  ', line(1)]));
    assert.equal(looksLikeTraceFile(['', '']), false);
    const dir = tempDir();
    const f = path.join(dir, 'x.jsonl');
    fs.writeFileSync(f, '\uFEFF\r\n\r\n' + line(1) + '\r\n');
    assert.ok(await fileLooksLikeTraces(f));
    fs.writeFileSync(f, '{"step": 1, "loss": 2}\n' + line(1));
    assert.equal(await fileLooksLikeTraces(f), false);
  });
});
