// Sweeps: the grid (every combination, checked before anything runs), the ranking, and
// `tunix-rt sweep` training real (tiny) runs of the built-in transformer through the run engine,
// ranking them, writing the summary and registering the best model.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { cli, cliJson, repoRoot, tempDir } from '../helpers';
import { expandGrid, parseGrid, rankResults, type SweepResult } from '../../../src/core/sweep/sweep';
import { defaultTunables } from '../../../src/core/run/trainerConfig';

const TINY = ['--steps', '4', '--backend', 'wasm', ...['d_model=16', 'heads=2', 'mlp=32', 'max_new_tokens=8', 'eval_interval=4'].flatMap((s) => ['--set', s])];

describe('sweep grid and ranking', () => {
  it('expands every combination in order, last axis fastest, with short labels', () => {
    const points = expandGrid(parseGrid(['training.learning_rate=0.001,0.003', 'layers=1,2,3']), defaultTunables('sft_transformer'), ['training.steps=10']);
    assert.equal(points.length, 6);
    assert.deepEqual(points.map((p) => p.label), ['learning_rate=0.001 layers=1', 'learning_rate=0.001 layers=2', 'learning_rate=0.001 layers=3', 'learning_rate=0.003 layers=1', 'learning_rate=0.003 layers=2', 'learning_rate=0.003 layers=3']);
    assert.deepEqual(points[4].overrides, ['training.steps=10', 'training.learning_rate=0.003', 'layers=2']);
    assert.deepEqual(points[4].params, { 'training.learning_rate': '0.003', layers: '2' });
  });

  it('refuses a bad grid before anything runs, saying what is wrong', () => {
    const base = defaultTunables('sft_transformer');
    assert.throws(() => parseGrid([]), /at least one --grid/);
    assert.throws(() => parseGrid(['layers']), /is not KEY=V1,V2/);
    assert.throws(() => parseGrid(['layers=']), /has no values/);
    assert.throws(() => parseGrid(['layers=1,1']), /lists a value twice/);
    assert.throws(() => parseGrid(['layers=1', 'layers=2']), /given twice/);
    assert.throws(() => expandGrid(parseGrid(['layrs=1,2']), base), /Unknown setting "layrs"/);
    assert.throws(() => expandGrid(parseGrid(['layers=1,0']), base), /layers must be at least 1/);
    assert.throws(() => expandGrid(parseGrid(['layers=1,2,3,4,5,6,7,8', 'heads=1,2,3,4,5,6,7,8,9']), base), /makes 72 runs; at most 64/);
  });

  it('ranks scores high-first and losses low-first; runs without a value come last; ties keep grid order', () => {
    const r = (runId: string, value: number | null): SweepResult => ({ runId, label: runId, params: {}, status: value === null ? 'failed' : 'completed', value });
    const results = [r('a', 0.5), r('b', null), r('c', 0.9), r('d', 0.5)];
    assert.deepEqual(rankResults(results, 'score').map((x) => x.runId), ['c', 'a', 'd', 'b']);
    assert.deepEqual(rankResults(results, 'eval_loss').map((x) => x.runId), ['a', 'd', 'c', 'b']);
  });
});

describe('tunix-rt sweep', function () {
  this.timeout(180_000);
  const dir = tempDir('tunix-sweep-');
  const db = path.join(dir, '.tunix', 'tunix.db');

  before(() => {
    const traces = path.join(dir, 'add.jsonl');
    assert.equal(cli(['generate', 'addition', '--count', '120', '--seed', '4', '--out', traces]).code, 0);
    cliJson(['import', traces, '--db', db, '--json']);
    cliJson(['dataset', 'build', '--db', db, '--name', 'add', '--version', '1', '--json']);
  });

  it('trains one real run per combination, ranks them, writes the summary and registers the best', () => {
    const r = cli(['sweep', '--db', db, '--dataset', 'add-1', '--grid', 'learning_rate=0.001,0.01', '--objective', 'eval_loss', '--parallel', '2', '--register', 'swept', '--name', 'lr sweep', '--json', ...TINY]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.runs.length, 2);
    assert.deepEqual(s.runs.map((x: { status: string }) => x.status), ['completed', 'completed']);
    assert.ok(s.runs[0].value <= s.runs[1].value, 'lower eval_loss first');
    assert.deepEqual(s.runs.map((x: { rank: number }) => x.rank), [1, 2]);
    assert.deepEqual(s.best.run_id, s.runs[0].run_id);
    assert.match(r.stderr, /\[2\/2\] learning_rate=0\.0(01|1): completed/);
    // The runs are ordinary runs, named after the sweep and their settings.
    const runs = cliJson<Array<{ run_id: string; name: string; status: string }>>(['runs', 'list', '--db', db, '--json']);
    for (const x of s.runs) assert.ok(runs.some((run) => run.run_id === x.run_id && run.name === `lr sweep · ${x.label}` && run.status === 'completed'), x.label);
    // Their final eval_loss is what the ranking used.
    for (const x of s.runs) {
      const metrics = fs.readFileSync(path.join(path.dirname(db), 'runs', x.run_id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const evals = metrics.filter((m) => m.eval_loss !== undefined);
      assert.equal(x.value, evals[evals.length - 1].eval_loss);
    }
    assert.deepEqual(JSON.parse(fs.readFileSync(s.summary_file, 'utf8')).runs, s.runs);
    assert.equal(path.dirname(s.summary_file), path.join(path.dirname(db), 'sweeps'));
    assert.deepEqual([s.registered.name, s.registered.version], ['swept', 1]);
    const model = cliJson(['models', 'show', 'swept', '--db', db, '--json']);
    assert.equal(model.run_id, s.best.run_id);
    assert.match(model.description, /best of sweep-.* by eval_loss \(learning_rate=/);
  });

  it('by score (the default for sft_transformer) every run is evaluated and stored for the leaderboard', () => {
    const r = cli(['sweep', '--db', db, '--dataset', 'add-1', '--grid', 'layers=1,2', '--json', ...TINY]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.objective, 'score');
    assert.equal(s.judge, 'answer_correctness@v2');
    const board = cliJson<Array<{ run_id: string; primary_score: number }>>(['leaderboard', '--db', db, '--judge', 'answer_correctness@v2', '--json']);
    for (const x of s.runs) assert.equal(board.find((b) => b.run_id === x.run_id)?.primary_score, x.value, x.label);
  });

  it('SIGTERM (VS Code\'s cancel) cancels the unfinished runs, then the sweep exits', async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'sweep', '--db', db, '--dataset', 'add-1', '--grid', 'layers=1,2', '--objective', 'loss', '--json', ...TINY.map((a) => (a === '4' ? '100000' : a))], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const started = new Promise<void>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        // Both runs queued and the first one training.
        if ((stderr.match(/queued run-/g) ?? []).length === 2 && /training layers=1 \(run-/.test(stderr)) resolve();
      });
    });
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await Promise.race([started, exited.then(() => assert.fail(`the sweep ended before it was cancelled: ${stderr}`))]);
    child.kill('SIGTERM');
    const code = await exited;
    assert.equal(code, 1, `no run finished with a value: exit 1 (${stderr.slice(-500)})`);
    assert.match(stderr, /Cancelling the sweep: ending its unfinished runs/);
    const s = JSON.parse(stdout);
    assert.deepEqual(s.runs.map((r: { status: string }) => r.status), ['cancelled', 'cancelled']);
    assert.equal(s.best, null);
  });

  it('says what is wrong and starts nothing on bad input (exit 2)', () => {
    const before = cliJson<unknown[]>(['runs', 'list', '--db', db, '--json']).length;
    const cases: Array<[string[], RegExp]> = [
      [['--dataset', 'nope', '--grid', 'layers=1'], /No dataset "nope"/],
      [['--dataset', 'add-1', '--grid', 'layrs=1,2'], /Unknown setting "layrs"/],
      [['--dataset', 'add-1', '--grid', 'layers=1', '--objective', 'accuracy'], /--objective must be one of score, eval_loss, loss/],
      [['--dataset', 'add-1', '--grid', 'layers=1', '--recipe', 'observer_classifier', '--objective', 'score'], /only sft_transformer writes them/],
      [['--dataset', 'add-1', '--grid', 'layers=1', '--register', '../x'], /not a usable model name/],
      [['--dataset', 'add-1', '--grid', 'layers=1', '--judge', 'answer_correctness'], /answer_correctness/],
    ];
    for (const [args, message] of cases) {
      const r = cli(['sweep', '--db', db, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
    assert.equal(cliJson<unknown[]>(['runs', 'list', '--db', db, '--json']).length, before, 'no run was started');
  });
});
