// The store in a real extension host, shared with another process: while this window holds
// the database open and keeps writing, the real CLI (dist/cli.js, a separate process)
// imports into the same file. Nothing is lost on either side, and the window sees the
// CLI's traces without reopening (the file watcher makes the store catch up).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TracesFeatureParts } from '../../../src/extension/traces/feature';
import { activate, featureParts, suiteDatabase, waitFor } from '../helpers';

const HOOK = Symbol.for('tunix-rt.traces.feature');

function parts(): TracesFeatureParts {
  return featureParts<TracesFeatureParts>(HOOK, 'traces');
}

function runCli(distDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // In desktop VS Code the extension host's execPath is Electron: run it as plain Node.
    const child = spawn(process.execPath, [path.join(distDir, 'cli.js'), ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('store: one database shared by this window and the CLI (integration)', function () {
  this.timeout(180_000);
  const suite = suiteDatabase('.tunix-store-it-', { file: 'shared.db' });



  it('the window writes while the CLI imports into the same file: no lost update, and each sees the other', async () => {
    const api = await parts().stores.api();
    const store = await parts().stores.open();
    const distDir = (await activate()).services.distDir;

    const file = path.join(suite.dir, 'cli-batch.jsonl');
    const N = 3000;
    fs.writeFileSync(
      file,
      Array.from({ length: N }, (_, k) =>
        JSON.stringify({ trace_version: '1.0', prompt: `CLI trace ${k}: what is ${k} - 1?`, final_answer: String(k - 1), steps: [{ i: 0, type: 'sub', content: `${k} - 1 = ${k - 1}` }], meta: { source: 'from-cli', category: 'bulk' } }),
      ).join('\n'),
    );
    const external: number[] = [];
    const sub = store.onDidChange((e) => e.origin !== 'local' && external.push(e.seq));

    const cli = runCli(distDir, ['import', file, '--db', suite.db, '--batch', '200', '--json']);
    // Meanwhile this window writes one trace at a time (each its own durable transaction).
    const ours = 40;
    for (let k = 0; k < ours; k++) {
      const row = api.prepareTrace({ trace_version: '1.0', prompt: `window trace ${k}`, final_answer: String(k), steps: [{ i: 0, type: 'note', content: `written by the window, ${k}` }], meta: { source: 'from-window', category: 'single' } });
      await store.write((tx) => api.insertTraces(tx, [row], new Date().toISOString()));
      await new Promise((r) => setTimeout(r, 10));
    }
    const result = await cli;
    sub();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).imported, N);

    // The window catches up with the CLI's batches (its watcher calls refresh; a read does too).
    await waitFor(() => api.countTraces(store, { source: 'from-cli' }) === N, 'the window to see every CLI trace');
    assert.equal(api.countTraces(store, { source: 'from-window' }), ours);
    assert.ok(external.length > 0, 'the store reported changes made by the other process');
    const groups = api.traceGroups(store);
    assert.deepEqual(
      groups.sources.map((s) => [s.source, s.count]),
      [
        ['from-cli', N],
        ['from-window', ours],
      ],
    );

    // And the CLI, a fresh process, sees the window's writes (still in the journal, not yet compacted).
    const listed = await runCli(distDir, ['traces', 'list', '--db', suite.db, '--source', 'from-window', '--limit', '100', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(JSON.parse(listed.stdout).items.length, ours);
  });
});
