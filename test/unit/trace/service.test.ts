import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tempDir } from '../helpers';
import { InProcessValidationService, WorkerValidationService, type DocumentResult, type TraceValidationService } from '../../../src/core/trace/validationService';
import { line } from './corpus';

const workerPath = path.join(repoRoot, 'dist', 'validateWorker.js');

function nextResult(service: TraceValidationService, id: string): Promise<DocumentResult> {
  return new Promise((resolve) => {
    const listener = (r: DocumentResult) => {
      if (r.id === id) resolve(r);
    };
    service.onResult(listener);
  });
}

for (const [name, make] of [
  ['worker thread (dist/validateWorker.js)', () => new WorkerValidationService(workerPath)],
  ['in process', () => new InProcessValidationService()],
] as const) {
  describe(`validation service: ${name}`, () => {
    let service: TraceValidationService;
    beforeEach(() => (service = make()));
    afterEach(() => service.dispose());

    it('validates an opened document, then only what edits change, answering with the version', async () => {
      let r = nextResult(service, 'doc');
      service.open('doc', 1, { text: [line(1), '{"prompt": 1', line(2)].join('\n') });
      let res = await r;
      assert.equal(res.version, 1);
      assert.deepEqual(res.problems.map((p) => [p.code, p.line]), [['TRC001', 2]]);
      assert.deepEqual([res.summary.valid, res.summary.invalid], [2, 1]);
      r = nextResult(service, 'doc');
      // Two edits in one batch: fix line 2, then break line 3.
      service.edit('doc', 3, [
        { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 12, text: line(5) },
        { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 1, text: '' },
      ], 3);
      res = await r;
      assert.equal(res.version, 3);
      assert.equal(res.validatedLines, 2);
      assert.deepEqual(res.problems.map((p) => [p.code, p.line, p.column]), [['TRC001', 3, '"trace_version"'.length + 1]]);
    });

    it('asks for the whole text again when its copy goes out of step', async () => {
      const r = nextResult(service, 'doc');
      service.open('doc', 1, { text: line(1) });
      await r;
      const resync = new Promise<string>((resolve) => service.onResync(resolve));
      service.edit('doc', 2, [{ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0, text: 'x' }], 5);
      assert.equal(await resync, 'doc');
      const resync2 = new Promise<string>((resolve) => service.onResync(resolve));
      service.edit('never-opened', 1, [], 1);
      assert.equal(await resync2, 'never-opened');
    });

    it('opens a saved document from disk, and validates files with progress', async () => {
      const dir = tempDir();
      const file = path.join(dir, 'a.trace.jsonl');
      fs.writeFileSync(file, Array.from({ length: 2000 }, (_, k) => (k === 1500 ? '[]' : line(k))).join('\n'));
      const r = nextResult(service, 'file');
      service.open('file', 7, { path: file });
      const res = await r;
      assert.deepEqual(res.problems.map((p) => [p.code, p.line]), [['TRC002', 1501]]);
      const progress: number[] = [];
      const fileRes = await service.validateFile(file, { onProgress: (done) => progress.push(done) });
      assert.deepEqual(fileRes.problems, res.problems);
      assert.equal(fileRes.summary.records, 2000);
      assert.equal(progress.at(-1), fs.statSync(file).size);
      await assert.rejects(service.validateFile(path.join(dir, 'missing.jsonl')), (e: Error) => e.name === 'UserError' && /File not found/.test(e.message));
    });
  });
}

describe('validation service: the worker', () => {
  it('refuses to start without its bundle, with the way out', () => {
    assert.throws(() => new WorkerValidationService('/nonexistent/validateWorker.js'), /rebuild the extension/);
  });

  it('keeps the caller responsive while a line of 40 MB is validated', async () => {
    const service = new WorkerValidationService(workerPath);
    try {
      const big = line(1, { prompt: 'w'.repeat(40 * 1024 * 1024) });
      const r = nextResult(service, 'big');
      service.open('big', 1, { text: big });
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const res = await r;
      clearInterval(timer);
      assert.deepEqual(res.problems.map((p) => p.code), ['TRC006']);
      assert.ok(ticks > 0, 'the calling thread kept running timers while the worker validated');
    } finally {
      await service.dispose();
    }
  });
});
