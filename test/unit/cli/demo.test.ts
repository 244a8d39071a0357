// `tunix-rt demo` end to end through the real CLI: samples, a fresh database, a dataset,
// exports and the report. Stages other features append (training, evaluation) are skipped
// here: they have their own tests.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, tempDir } from '../helpers';

const CORE_STAGES = ['generate', 'import', 'dataset', 'export'];

function laterStages(): string[] {
  const help = cli(['demo', '--help']).stdout;
  const line = /^Stages: (.*)$/m.exec(help);
  assert.ok(line, 'demo --help lists its stages');
  return line[1].split(',').map((s) => s.trim()).filter((s) => !CORE_STAGES.includes(s));
}

describe('tunix-rt demo', () => {
  it('generates, imports into a fresh database, builds and exports a dataset, and reports each stage', () => {
    const dir = path.join(tempDir('tunix-demo-test-'), 'demo');
    const later = laterStages();
    const args = ['demo', '--dir', dir, '--count', '240', '--seed', '5', '--json', ...(later.length ? ['--skip', later.join(',')] : [])];
    const r = cli(args);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.ok, true);
    assert.deepEqual(report.stages.slice(0, 4).map((s: { stage: string; status: string }) => [s.stage, s.status]), CORE_STAGES.map((s) => [s, 'ok']));
    const [gen, imp, ds, exp] = report.stages;
    assert.equal(gen.data.count, 240);
    assert.equal(imp.data.imported, 240);
    assert.equal(imp.data.invalid, 0);
    assert.equal(ds.data.dataset_key, 'demo-v1');
    assert.equal(ds.data.trace_count, 240);
    assert.ok(fs.existsSync(ds.data.manifest));
    const files = exp.data.files as Record<string, { path: string; lines: number }>;
    assert.equal(files['test.eval_items'].lines, ds.data.splits.test);
    for (const f of Object.values(files)) assert.equal(fs.readFileSync(f.path, 'utf8').trim().split('\n').length, f.lines);
    assert.equal(files['train.tunix_sft'].lines + files['val.tunix_sft'].lines + files['test.tunix_sft'].lines, 240);

    // Running again starts over in the same folder, with the same result (same seed, same ids).
    const again = JSON.parse(cli(args).stdout);
    assert.deepEqual(again.stages[2].data.splits, ds.data.splits);
  });

  it('refuses to clear a folder it did not make, and an unknown stage to skip', () => {
    const dir = tempDir('tunix-demo-test-');
    fs.writeFileSync(path.join(dir, 'precious.txt'), 'keep me');
    const r = cli(['demo', '--dir', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not from an earlier demo; choose another folder/);
    assert.equal(fs.readFileSync(path.join(dir, 'precious.txt'), 'utf8'), 'keep me');
    const s = cli(['demo', '--dir', path.join(dir, 'x'), '--skip', 'nap']);
    assert.equal(s.code, 2);
    assert.match(s.stderr, /--skip nap: no such stage/);
  });
});
