// A database can come with a workspace. These tests craft such databases (run records whose
// stored folder is elsewhere, whose id is a path, whose folder is a link out, queued runs of
// a gone process carrying an external command) and check that the engine keeps every run in
// `<db folder>/runs/<id>`, starts nothing on its own when untrusted, and asks before running
// a command nobody gave in this session.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUserError } from '../../../src/core/errors';
import { isValidRunId, runDirFor, runsRootFor } from '../../../src/core/run/runFolder';
import { getRun, listRuns } from '../../../src/core/run/runStore';
import type { RunRecord } from '../../../src/core/run/types';
import { openStore } from '../../../src/core/store/store';
import { plantRuns, queuedOrphan } from '../../fixtures/shippedDatabase';
import { cli, tempDir } from '../helpers';
import { openEngine } from './engineHarness';

/** Every file below `dir` (empty when it does not exist). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('run folders are confined (crafted databases)', function () {
  this.timeout(60_000);
  const root = tempDir('tunix-confine-');
  let n = 0;
  const freshDb = () => path.join(root, `ws${++n}`, '.tunix', 'tunix.db');

  /** A completed run's record from a real engine, to craft others from. */
  async function templateRecord(dbPath: string): Promise<RunRecord> {
    const h = await openEngine(dbPath);
    try {
      const run = await h.engine.submit({ datasetKey: 'addition-v1', overrides: ['steps=20', 'log_interval=10'] });
      return await h.engine.waitForEnd(run.id);
    } finally {
      await h.close();
    }
  }

  const plant = (dbPath: string, record: RunRecord) => plantRuns(dbPath, [record]);

  it('run ids are plain folder names: paths in any platform form are not', () => {
    for (const ok of ['run-20250101-120000-a1b2', 'imported.hf-run_3', 'A']) assert.ok(isValidRunId(ok), ok);
    for (const bad of ['', '.', '..', '../x', 'a/b', '/tmp/x', 'C:\\x', 'C:x', '\\\\server\\share\\x', 'a\\..\\b', '.hidden', 'x'.repeat(129), 'a\u0000b', 'a b']) {
      assert.ok(!isValidRunId(bad), JSON.stringify(bad));
      assert.throws(() => runDirFor('/db/runs', bad), (e: Error) => isUserError(e) && /not a plain folder name/.test(e.message));
    }
  });

  it('a stored folder outside the runs folder is ignored: an adopted queued run trains in <runs>/<id>, nothing is written outside', async () => {
    const dbPath = freshDb();
    const template = await templateRecord(dbPath);
    const outside = path.join(root, 'outside-1');
    await plant(dbPath, queuedOrphan(template, 'run-crafted-outside', outside));
    const store = await openStore(dbPath);
    try {
      const read = store.read((q) => getRun(q, 'run-crafted-outside'))!;
      assert.equal(read.runDir, path.join(runsRootFor(dbPath), 'run-crafted-outside'), 'the folder is derived from the id');
      assert.ok(store.read((q) => listRuns(q)).every((r) => path.dirname(r.runDir) === runsRootFor(dbPath)));
    } finally {
      await store.close();
    }
    const h = await openEngine(dbPath);
    try {
      const ended = await h.engine.waitForEnd('run-crafted-outside');
      assert.equal(ended.status, 'completed', JSON.stringify(ended.outcome));
      assert.ok(fs.existsSync(path.join(runsRootFor(dbPath), 'run-crafted-outside', 'model')), 'trained in its own folder');
      assert.deepEqual(filesUnder(outside), [], 'nothing written to the stored folder');
      const manifest = JSON.parse(fs.readFileSync(path.join(runsRootFor(dbPath), 'run-crafted-outside', 'run_manifest.json'), 'utf8'));
      assert.equal(manifest.artifacts_path, path.join(runsRootFor(dbPath), 'run-crafted-outside'));
    } finally {
      await h.close();
    }
  });

  it('an untrusted engine starts nothing on its own; trusting it adopts the queued run', async () => {
    const dbPath = freshDb();
    const template = await templateRecord(dbPath);
    await plant(dbPath, queuedOrphan(template, 'run-crafted-untrusted', path.join(root, 'outside-2')));
    const h = await openEngine(dbPath, { trusted: false });
    try {
      // Give a start every chance to happen: reconcile again, as a store change would.
      await h.engine.reconcile();
      assert.equal(h.engine.get('run-crafted-untrusted')!.status, 'queued');
      assert.ok(!fs.existsSync(path.join(runsRootFor(dbPath), 'run-crafted-untrusted')), 'no folder, no data, no process');
      h.engine.setTrusted(true);
      const ended = await h.engine.waitForEnd('run-crafted-untrusted');
      assert.equal(ended.status, 'completed', JSON.stringify(ended.outcome));
    } finally {
      await h.close();
    }
  });

  it('a queued external run from elsewhere asks before its command runs: refused without a way to ask, cancelled on no, run on yes', async () => {
    const dbPath = freshDb();
    const template = await templateRecord(dbPath);
    const marker = (k: number) => path.join(root, `ran-${n}-${k}`);
    const external = (k: number): Partial<RunRecord> => ({
      recipe: 'external',
      backend: 'external',
      command: [process.execPath, '-e', 'require("fs").writeFileSync(process.argv[1], "ran")', marker(k)],
    });
    await plant(dbPath, queuedOrphan(template, 'run-ext-1', path.join(root, 'o'), external(1)));
    // No way to ask (the CLI adopting, say): refused with the command in the reason.
    let h = await openEngine(dbPath);
    try {
      const ended = await h.engine.waitForEnd('run-ext-1');
      assert.equal(ended.status, 'failed');
      assert.match(ended.outcome!.reason!, /was not given in this session/);
      assert.ok(ended.outcome!.reason!.includes(marker(1)), 'the reason shows the command');
      assert.ok(!fs.existsSync(marker(1)), 'the command did not run');
    } finally {
      await h.close();
    }
    // The user says no: cancelled, never run. The question shows the expanded command.
    await plant(dbPath, queuedOrphan(template, 'run-ext-2', path.join(root, 'o'), external(2)));
    const asked: string[][] = [];
    h = await openEngine(dbPath, { confirmExternal: async (_r, argv) => (asked.push([...argv]), false) });
    try {
      const ended = await h.engine.waitForEnd('run-ext-2');
      assert.equal(ended.status, 'cancelled');
      assert.match(ended.outcome!.reason!, /not confirmed/);
      assert.deepEqual(asked, [external(2).command]);
      assert.ok(!fs.existsSync(marker(2)));
    } finally {
      await h.close();
    }
    // The user says yes: it runs (the tiny command writes its marker, then the run ends).
    await plant(dbPath, queuedOrphan(template, 'run-ext-3', path.join(root, 'o'), external(3)));
    h = await openEngine(dbPath, { confirmExternal: async () => true });
    try {
      await h.engine.waitForEnd('run-ext-3');
      assert.equal(fs.readFileSync(marker(3), 'utf8'), 'ran');
    } finally {
      await h.close();
    }
    // A run submitted in this session runs without asking.
    h = await openEngine(dbPath, { confirmExternal: async () => assert.fail('asked about a command given in this session') });
    try {
      const run = await h.engine.submit({ datasetKey: 'd', recipe: 'external', command: external(4).command });
      await h.engine.waitForEnd(run.id);
      assert.equal(fs.readFileSync(marker(4), 'utf8'), 'ran');
    } finally {
      await h.close();
    }
  });

  it('rows whose id is a path are never listed or started; reading one says why; delete removes the row only', async () => {
    const dbPath = freshDb();
    const template = await templateRecord(dbPath);
    const escape = path.join(root, 'escape-target');
    for (const id of ['../../escape-target', escape, 'bad/../id']) await plant(dbPath, queuedOrphan(template, id, escape));
    // The CLI deletes such a row by its id too (what the error message tells people to do).
    const deleted = cli(['runs', 'delete', 'bad/../id', '--db', dbPath, '--json']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(JSON.parse(deleted.stdout), { deleted: 'bad/../id' });
    const h = await openEngine(dbPath);
    try {
      assert.deepEqual(h.engine.list().map((r) => r.id), [template.id]);
      assert.throws(() => h.engine.get(escape), (e: Error) => isUserError(e) && /not a plain folder name/.test(e.message));
      await h.engine.delete(escape);
      await h.engine.delete('../../escape-target');
      assert.equal(h.store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM runs'))!.n, 1);
      assert.ok(!fs.existsSync(escape));
    } finally {
      await h.close();
    }
  });

  it('links out are refused: a runs folder that is a link, a run folder that is a link, a link inside a run folder', async function () {
    if (process.platform === 'win32') this.skip(); // symbolic links need privileges there
    // 1. The runs folder is a link out: submit refuses before creating anything.
    let dbPath = freshDb();
    const outRoot = path.join(root, 'links-out-root');
    fs.mkdirSync(outRoot, { recursive: true });
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    fs.symlinkSync(outRoot, runsRootFor(dbPath));
    let h = await openEngine(dbPath);
    try {
      await assert.rejects(h.engine.submit({ datasetKey: 'addition-v1' }), (e: Error) => isUserError(e) && /leads outside/.test(e.message) && /remove the link/.test(e.message));
      assert.deepEqual(fs.readdirSync(outRoot), []);
    } finally {
      await h.close();
    }

    // 2. A queued run's own folder is a link out: it fails with the reason, nothing written there.
    dbPath = freshDb();
    const template = await templateRecord(dbPath);
    const outRun = path.join(root, 'links-out-run');
    fs.mkdirSync(outRun);
    fs.symlinkSync(outRun, path.join(runsRootFor(dbPath), 'run-linked'));
    await plant(dbPath, queuedOrphan(template, 'run-linked', outRun));
    // 3. A link inside a queued run's folder (its model folder) leads out.
    const outModel = path.join(root, 'links-out-model');
    fs.mkdirSync(outModel);
    fs.mkdirSync(path.join(runsRootFor(dbPath), 'run-inner-link'));
    fs.symlinkSync(outModel, path.join(runsRootFor(dbPath), 'run-inner-link', 'model'));
    await plant(dbPath, queuedOrphan(template, 'run-inner-link', outModel));
    h = await openEngine(dbPath);
    try {
      const linked = await h.engine.waitForEnd('run-linked');
      assert.equal(linked.status, 'failed');
      assert.match(linked.outcome!.reason!, /leads outside/);
      const inner = await h.engine.waitForEnd('run-inner-link');
      assert.equal(inner.status, 'failed');
      assert.match(inner.outcome!.reason!, /holds links that lead outside it \(model -> /);
      assert.deepEqual(filesUnder(outRun), []);
      assert.deepEqual(filesUnder(outModel), []);
    } finally {
      await h.close();
    }
  });
});
