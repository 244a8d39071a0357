// The dataset and generate commands as users and acceptance checks call them: the real
// dist/cli.js in a child process, against a real database.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { insertTraces, openStore, prepareTrace } from '../../../src/core/store';
import type { TraceRecord } from '../../../src/core/trace/types';
import { cli, cliJson, tempDir } from '../helpers';

describe('tunix-rt generate + dataset (CLI)', () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = tempDir('tunix-dataset-cli-');
    db = path.join(dir, '.tunix', 'tunix.db');
    const file = path.join(dir, 'samples.trace.jsonl');
    const g = cliJson(['generate', 'mixed', '--count', '240', '--seed', '3', '--out', file, '--json']);
    assert.equal(g.count, 240);
    assert.equal(g.out, file);
    // Import through the store's own insert path (the import command is another feature's).
    const records = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceRecord);
    const store = await openStore(db);
    await store.write((tx) => insertTraces(tx, records.map((r) => prepareTrace(r)), '2025-01-01T00:00:00.000Z'));
    await store.close();
  });

  it('generate TASK --count --seed --out writes valid, reproducible JSONL', () => {
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    assert.equal(cli(['generate', 'addition', '--count', '25', '--seed', '9', '--out', a]).code, 0);
    assert.equal(cli(['generate', 'addition', '--count', '25', '--seed', '9', '--out', b]).code, 0);
    assert.ok(fs.readFileSync(a).equals(fs.readFileSync(b)));
    const lines = fs.readFileSync(a, 'utf8').trim().split('\n');
    assert.equal(lines.length, 25);
    const v = cli(['validate', a, '--format', 'json']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.deepEqual(JSON.parse(v.stdout), []);
  });

  it('generate refuses bad input with the reason and exit 2, leaving no file', () => {
    const out = path.join(dir, 'bad.jsonl');
    for (const args of [['divide'], ['addition', '--count', 'many'], ['addition', '--difficulty', 'extreme'], []]) {
      const r = cli(['generate', ...args, '--out', out]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /tunix-rt generate: /);
    }
    assert.ok(!fs.existsSync(out));
  });

  it('dataset build --json, twice with the same seed: identical splits; the same key again is refused', () => {
    const args = ['dataset', 'build', '--db', db, '--name', 'cli', '--selection', 'random', '--seed', '7', '--limit', '200', '--json'];
    const a = cliJson([...args, '--version', 'v1']);
    const b = cliJson([...args, '--version', 'v2']);
    assert.equal(a.dataset_key, 'cli-v1');
    assert.equal(a.trace_count, 200);
    assert.equal(a.manifest_path, path.join(dir, '.tunix', 'datasets', 'cli-v1', 'manifest.json'));
    assert.deepEqual(a.splits, b.splits);
    const ma = JSON.parse(fs.readFileSync(a.manifest_path, 'utf8'));
    const mb = JSON.parse(fs.readFileSync(b.manifest_path, 'utf8'));
    assert.deepEqual(ma.splits.trace_ids, mb.splits.trace_ids);
    const again = cli([...args, '--version', 'v1']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /cli-v1 already exists.*--overwrite/);
    assert.equal(cliJson([...args, '--version', 'v1', '--overwrite']).replaced, true);
  });

  it('dataset build with filters and custom splits', () => {
    const r = cliJson(['dataset', 'build', '--db', db, '--name', 'arith', '--version', '1', '--filter', 'task_type=addition', '--filter', 'task_type=subtraction', '--filter', 'seed=3', '--split', 'train=0.5,test=0.5', '--json']);
    assert.equal(r.trace_count, 60);
    assert.deepEqual(Object.keys(r.splits), ['train', 'test']);
    const show = cliJson(['dataset', 'show', 'arith-1', '--db', db, '--json']);
    assert.deepEqual(show.filters, { task_type: ['addition', 'subtraction'], seed: '3' });
    assert.deepEqual(Object.keys(show.stats.by_category), ['arithmetic']);
    assert.equal(show.trace_ids, undefined, 'ids only with --full');
    assert.equal(cliJson(['dataset', 'show', 'arith-1', '--db', db, '--json', '--full']).trace_ids.length, 60);
    const none = cli(['dataset', 'build', '--db', db, '--name', 'none', '--version', '1', '--filter', 'task_type=poetry']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /No traces match \(task_type=poetry\)/);
  });

  it('dataset export KEY --format F --split S --out FILE, for every format', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.tunix', 'datasets', 'cli-v2', 'manifest.json'), 'utf8'));
    for (const format of ['trace', 'tunix_sft', 'training_example', 'messages', 'eval_items']) {
      const out = path.join(dir, 'exports', `${format}.jsonl`);
      const r = cliJson(['dataset', 'export', 'cli-v2', '--db', db, '--format', format, '--split', 'val', '--out', out, '--json']);
      assert.equal(r.written, manifest.splits.counts.val, format);
      assert.equal(fs.readFileSync(out, 'utf8').trim().split('\n').length, manifest.splits.counts.val);
    }
    const bad = cli(['dataset', 'export', 'cli-v2', '--db', db, '--format', 'parquet', '--out', path.join(dir, 'x')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown export format "parquet"/);
  });

  it('dataset list and delete', () => {
    const list = cliJson(['dataset', 'list', '--db', db, '--json']);
    assert.ok(list.some((d: { dataset_key: string }) => d.dataset_key === 'arith-1'));
    const text = cli(['dataset', 'list', '--db', db]);
    assert.match(text.stdout, /arith-1 +60 traces/);
    assert.deepEqual(cliJson(['dataset', 'delete', 'arith-1', '--db', db, '--json']), { deleted: 'arith-1', manifest_removed: true });
    const gone = cli(['dataset', 'show', 'arith-1', '--db', db]);
    assert.equal(gone.code, 2);
    assert.match(gone.stderr, /No dataset "arith-1"/);
  });

  it('every verb answers --help; a missing database or verb is a clear error', () => {
    for (const verb of ['build', 'export', 'list', 'show', 'delete']) {
      const r = cli(['dataset', verb, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^Usage: tunix-rt dataset ${verb}`));
    }
    assert.match(cli(['dataset', '--help']).stdout, /^Usage: tunix-rt dataset/);
    const nodb = cli(['dataset', 'list', '--db', path.join(dir, 'nowhere', 'x.db')]);
    assert.equal(nodb.code, 2);
    assert.match(nodb.stderr, /does not exist|No database/);
    const verb = cli(['dataset', 'frob']);
    assert.equal(verb.code, 2);
    assert.match(verb.stderr, /Unknown verb "frob"/);
  });
});
