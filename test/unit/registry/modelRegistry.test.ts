// The model registry on a real database and real run folders: registering copies the model
// files with their SHA-256, numbers versions per name, survives the run's deletion, refuses
// what cannot be registered with a reason, and the CLI does the same as a child process.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, cliJson, tempDir } from '../helpers';
import { makeRun, withStore } from '../eval/fixtures';
import { deleteModelVersion, getModelVersion, listModelVersions, parseModelRef, registerModel, verifyModelVersion } from '../../../src/core/registry/modelRegistry';
import { runFiles } from '../../../src/core/run/runFolder';

/** Writes model files into a run folder, as the trainer does when it completes. */
function writeModel(runDir: string, weights = 'w1'): void {
  const dir = runFiles(runDir).model;
  fs.mkdirSync(path.join(dir, 'extra'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'weights.bin'), weights);
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{"vocab":["a","b"]}');
  fs.writeFileSync(path.join(dir, 'extra', 'notes.txt'), 'nested files are kept');
}

describe('model registry', () => {
  const dir = tempDir('tunix-models-');
  const db = path.join(dir, '.tunix', 'tunix.db');
  const a = 'run-20250101-000000-aaaa';
  const b = 'run-20250102-000000-bbbb';
  const running = 'run-20250103-000000-cccc';
  const noModel = 'run-20250104-000000-dddd';

  before(async () => {
    writeModel((await makeRun(db, { id: a, right: (i) => i < 15 })).runDir, 'weights of a');
    writeModel((await makeRun(db, { id: b, right: (i) => i < 18, evalLoss: 0.4 })).runDir, 'weights of b');
    writeModel((await makeRun(db, { id: running, right: () => true, status: 'running' })).runDir);
    await makeRun(db, { id: noModel, right: () => true });
  });

  it('registers a completed run: files copied with their SHA-256, origin and metrics recorded', async () => {
    const v = await withStore(db, (s) => registerModel(s, { databasePath: db, run: a, name: 'adder', description: 'first', now: () => new Date('2025-02-01T00:00:00Z') }));
    assert.equal(v.version, 1);
    assert.equal(v.dir, path.join(dir, '.tunix', 'models', 'adder', 'v1'));
    assert.equal(fs.readFileSync(path.join(v.dir, 'weights.bin'), 'utf8'), 'weights of a');
    assert.equal(fs.readFileSync(path.join(v.dir, 'extra', 'notes.txt'), 'utf8'), 'nested files are kept');
    assert.deepEqual(v.manifest.files.map((f) => f.path).sort(), ['extra/notes.txt', 'tokenizer.json', 'weights.bin']);
    assert.deepEqual(v.manifest.files.find((f) => f.path === 'weights.bin'), { path: 'weights.bin', bytes: 12, sha256: createHash('sha256').update('weights of a').digest('hex') });
    const onDisk = JSON.parse(fs.readFileSync(path.join(v.dir, 'model_version.json'), 'utf8'));
    assert.deepEqual(onDisk, v.manifest);
    assert.equal(v.manifest.run_id, a);
    assert.equal(v.manifest.dataset_key, 'addition-v1');
    assert.match(v.model, /^sft_transformer \d+L/);
    assert.equal(v.manifest.final_metrics.loss, 1);
    assert.equal(v.manifest.evaluation, null, 'not evaluated yet');
    assert.equal(v.primaryScore, null);
    assert.deepEqual(verifyModelVersion(v), []);
  });

  it('numbers versions per name and records the run\'s latest scorecard', async () => {
    cliJson(['eval', b, '--db', db, '--judge', 'answer_correctness@v2', '--json']);
    const v2 = await withStore(db, (s) => registerModel(s, { databasePath: db, run: 'run-20250102', name: 'adder' }));
    assert.equal(v2.version, 2);
    assert.equal(v2.judge, 'answer_correctness@v2');
    assert.equal(v2.primaryScore, 0.9);
    assert.equal(v2.manifest.final_metrics.eval_loss, 0.4);
    const other = await withStore(db, (s) => registerModel(s, { databasePath: db, run: b, name: 'other.model_1', judge: 'answer_correctness@v2' }));
    assert.equal(other.primaryScore, 0.9);
    await withStore(db, (s) => assert.rejects(registerModel(s, { databasePath: db, run: b, name: 'x', judge: 'answer_correctness@v1' }), /has no evaluation by answer_correctness@v1; evaluate it first/));
    assert.equal(other.version, 1);
    const all = await withStore(db, (s) => s.read((q) => listModelVersions(q, db)));
    assert.deepEqual(all.map((v) => `${v.name}@${v.version}`), ['adder@2', 'adder@1', 'other.model_1@1']);
    assert.equal(await withStore(db, (s) => s.read((q) => getModelVersion(q, db, 'adder').version)), 2, 'a bare name is its latest version');
    assert.equal(await withStore(db, (s) => s.read((q) => getModelVersion(q, db, 'adder@v1').version)), 1);
  });

  it('refuses what cannot be registered, with the reason, and leaves nothing behind', async () => {
    const refuse = (run: string, name: string, why: RegExp) => withStore(db, (s) => assert.rejects(registerModel(s, { databasePath: db, run, name }), why));
    await refuse(running, 'adder', /is running; only a completed run's model can be registered/);
    await refuse(noModel, 'adder', /has no model files in .*model; the trainer writes them when it completes/);
    await refuse('run-nope', 'adder', /No run "run-nope"/);
    for (const bad of ['../escape', '', 'a/b', '.hidden', 'x'.repeat(65)]) await refuse(a, bad, /is not a usable model name/);
    assert.deepEqual(fs.readdirSync(path.join(dir, '.tunix', 'models')).sort(), ['adder', 'other.model_1'], 'no staging folder left');
    assert.throws(() => parseModelRef('adder@x'), /not a usable model name/);
  });

  it('a version outlives its run; verify finds changed or missing files; delete needs the version', async () => {
    fs.rmSync(path.join(dir, '.tunix', 'runs', a), { recursive: true, force: true });
    const v1 = await withStore(db, (s) => s.read((q) => getModelVersion(q, db, 'adder@1')));
    assert.deepEqual(verifyModelVersion(v1), []);
    fs.appendFileSync(path.join(v1.dir, 'weights.bin'), '!');
    fs.rmSync(path.join(v1.dir, 'tokenizer.json'));
    assert.deepEqual(verifyModelVersion(v1).sort(), ['tokenizer.json is missing', 'weights.bin does not match its SHA-256 (changed or damaged)']);
    await withStore(db, (s) => assert.rejects(deleteModelVersion(s, db, 'adder'), /Say which version of adder to delete \(e\.g\. adder@2\)/));
    await withStore(db, (s) => deleteModelVersion(s, db, 'adder@1'));
    assert.equal(fs.existsSync(v1.dir), false);
    await withStore(db, (s) => assert.throws(() => s.read((q) => getModelVersion(q, db, 'adder@1')), /Model adder has no version 1 \(it has v2\)/));
    // Numbers are never reused: the next version is 3.
    const v3 = await withStore(db, (s) => registerModel(s, { databasePath: db, run: b, name: 'adder' }));
    assert.equal(v3.version, 3);
  });

  it('the CLI registers, lists, shows, verifies and deletes (exit 1 for a damaged version, 2 for bad input)', () => {
    const reg = cliJson(['models', 'register', b, '--db', db, '--name', 'cli-model', '--description', 'from the CLI', '--json']);
    assert.equal(reg.name, 'cli-model');
    assert.equal(reg.version, 1);
    assert.equal(reg.primary_score, 0.9);
    assert.equal(reg.manifest.description, 'from the CLI');
    const list = cliJson(['models', 'list', '--db', db, '--json']);
    assert.deepEqual(list.map((v: { name: string; version: number }) => `${v.name}@${v.version}`), ['adder@3', 'adder@2', 'cli-model@1', 'other.model_1@1']);
    assert.equal(cliJson(['models', 'list', 'adder', '--db', db, '--json']).length, 2);
    const shown = cli(['models', 'show', 'cli-model', '--db', db]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /cli-model@1 · from the CLI/);
    assert.match(shown.stdout, /score\s+0\.900 \(answer_correctness@v2\) on 20 items/);
    assert.match(shown.stdout, /weights\.bin \(12 bytes, sha256 [0-9a-f]{12}…\)/);
    assert.equal(cli(['models', 'verify', 'cli-model@1', '--db', db]).code, 0);
    fs.writeFileSync(path.join(reg.dir, 'weights.bin'), 'tampered');
    const damaged = cli(['models', 'verify', 'cli-model', '--db', db, '--json']);
    assert.equal(damaged.code, 1);
    assert.deepEqual(JSON.parse(damaged.stdout).problems, ['weights.bin does not match its SHA-256 (changed or damaged)']);
    const bad = cli(['models', 'register', running, '--db', db, '--name', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /only a completed run's model can be registered/);
    assert.match(cli(['models', 'register', b, '--db', db]).stderr, /Missing --name/);
    assert.equal(cli(['models', 'delete', 'cli-model@1', '--db', db]).code, 0);
    assert.equal(fs.existsSync(reg.dir), false);
  });
});
