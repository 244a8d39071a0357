// `tunix-rt train` and `tunix-rt runs` as real processes on a real database: the built-in
// TensorFlow.js trainer (dist/trainer.js, a tiny model so it takes seconds), external
// trainers, cancel and resume across processes, and a killed trainer.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, cliJson, repoRoot, tempDir } from '../helpers';
import { fixture, pidAlive, waitFor } from './runFixtures';

const TINY = ['--set', 'batch_size=4', '--set', 'd_model=16', '--set', 'heads=2', '--set', 'mlp=32', '--set', 'layers=1', '--set', 'context_length=128', '--set', 'max_new_tokens=4'];

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe('tunix-rt train / runs (real processes)', function () {
  this.timeout(180_000);
  const dir = tempDir('tunix-cli-runs-');
  const db = path.join(dir, '.tunix', 'tunix.db');

  before(() => {
    const traces = path.join(dir, 'add.jsonl');
    assert.equal(cli(['generate', 'addition', '--count', '200', '--seed', '5', '--out', traces]).code, 0);
    assert.equal(cli(['import', traces, '--db', db]).code, 0);
    const r = cli(['dataset', 'build', '--db', db, '--name', 'addition', '--version', 'v1', '--json']);
    assert.equal(r.code, 0, r.stderr);
  });

  it('answers --help for train, runs and each runs verb', () => {
    for (const args of [['train'], ['runs'], ['runs', 'list'], ['runs', 'show'], ['runs', 'cancel'], ['runs', 'resume'], ['runs', 'delete']]) {
      const r = cli([...args, '--help']);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, new RegExp(`^Usage: tunix-rt ${args.join(' ')}`));
    }
  });

  it('refuses an unknown dataset or bad settings with exit 2 and creates no run', () => {
    const a = cli(['train', '--db', db, '--dataset', 'nope-v9', '--json']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /No dataset "nope-v9".*addition-v1/s);
    const b = cli(['train', '--db', db, '--dataset', 'addition-v1', '--set', 'lr=fast']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /Unknown setting "lr"/);
    const c = cli(['train', '--db', db, '--dataset', 'addition-v1', '--backend', 'tpu']);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /--backend must be one of auto, gpu, webgpu, native, wasm, cpu/);
    assert.deepEqual(cliJson(['runs', 'list', '--db', db, '--json']), []);
  });

  it('trains with the built-in trainer in the foreground and prints run_id, status, backend, run_dir', () => {
    const r = cli(['train', '--db', db, '--dataset', 'addition-v1', '--steps', '8', '--backend', 'wasm', ...TINY, '--set', 'eval_interval=4', '--set', 'log_interval=2', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.run_id, /^run-/);
    assert.equal(out.status, 'completed');
    assert.equal(out.backend, 'wasm');
    assert.equal(out.steps, 8);
    assert.equal(out.run_dir, path.join(path.dirname(db), 'runs', out.run_id));
    for (const f of ['config.json', 'metrics.jsonl', 'run_manifest.json', 'predictions.jsonl', 'environment.json', 'logs/output.log', 'checkpoints/latest.json', 'data/train.jsonl']) {
      assert.ok(fs.existsSync(path.join(out.run_dir, f)), f);
    }
    const lines = fs.readFileSync(path.join(out.run_dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.some((l) => typeof l.loss === 'number' && typeof l.learning_rate === 'number'));
    assert.ok(lines.some((l) => typeof l.eval_loss === 'number'));
    const manifest = JSON.parse(fs.readFileSync(path.join(out.run_dir, 'run_manifest.json'), 'utf8'));
    assert.equal(manifest.backend, 'wasm');
    assert.equal(manifest.dataset, 'addition-v1');
    assert.equal(manifest.model_config.d_model, 16);
    const shown = cliJson(['runs', 'show', out.run_id.slice(0, 16), '--db', db, '--json']);
    assert.equal(shown.run_id, out.run_id);
    assert.ok(shown.log_tail.some((l: string) => /completed/.test(l)));
    assert.ok(!shown.log_tail.some((l: string) => /"heartbeat"/.test(l)), 'heartbeats stay out of the readable log');
    assert.ok(/\d+ passed|progress|step/.test(r.stderr) || r.stderr.length > 0);
  });

  it('runs an external trainer given after --, with placeholders filled', () => {
    const r = cli(['train', '--db', db, '--dataset', 'addition-v1', '--recipe', 'external', '--json', '--', process.execPath, fixture('jax_style.mjs'), '--data', '${train}', '--output', '${output_dir}', '--shape', 'torch', '--steps', '12']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.status, 'completed');
    assert.equal(out.backend, 'external');
    assert.equal(out.steps, 12);
    assert.equal(out.command[3], '${train}');
    const first = JSON.parse(fs.readFileSync(path.join(out.run_dir, 'metrics.jsonl'), 'utf8').split('\n')[0]);
    assert.ok(first.metrics.train_samples_per_second > 0);
  });

  it('a failing external trainer ends with exit 1, status failed and the reason', () => {
    const r = cli(['train', '--db', db, '--dataset', 'addition-v1', '--recipe', 'external', '--json', '--', process.execPath, fixture('crash.mjs'), '${output_dir}']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.status, 'failed');
    assert.match(out.outcome.reason, /TypeError/);
  });

  it('cancel from another process, then resume from the checkpoint to the planned step count', async () => {
    const start = cliJson(['train', '--db', db, '--dataset', 'addition-v1', '--steps', '600', '--backend', 'wasm', ...TINY, '--set', 'checkpoint_interval=20', '--set', 'log_interval=10', '--detach', '--json']);
    assert.equal(start.status, 'running');
    const latest = path.join(start.run_dir, 'checkpoints', 'latest.json');
    const checkpointAt = () => {
      try {
        return JSON.parse(fs.readFileSync(latest, 'utf8')).step as number;
      } catch {
        return -1; // not written yet
      }
    };
    await waitFor(() => checkpointAt() >= 20, 120_000, 'a checkpoint at step 20');
    const cancelled = cliJson(['runs', 'cancel', start.run_id, '--db', db, '--json']);
    assert.equal(cancelled.status, 'cancelled');
    const pid = JSON.parse(fs.readFileSync(path.join(start.run_dir, 'process.json'), 'utf8')).pid;
    assert.equal(pidAlive(pid), false);
    const checkpointStep = JSON.parse(fs.readFileSync(latest, 'utf8')).step;
    const resumed = cli(['runs', 'resume', start.run_id, '--db', db, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const out = JSON.parse(resumed.stdout);
    assert.equal(out.status, 'completed');
    assert.equal(out.attempts, 2);
    assert.equal(out.steps, 600);
    const config = JSON.parse(fs.readFileSync(path.join(start.run_dir, 'config.json'), 'utf8'));
    assert.equal(config.resume, true);
    const log = fs.readFileSync(path.join(start.run_dir, 'logs', 'stdout.log'), 'utf8');
    assert.match(log, new RegExp(`"resumed_from_step":${checkpointStep}`));
    // One metrics file, continued: steps after the checkpoint appear, ending at 600.
    const steps = fs.readFileSync(path.join(start.run_dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).step);
    assert.equal(steps.at(-1), 600);
  });

  it('killing the trainer process marks the run failed with the reason', async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'train', '--db', db, '--dataset', 'addition-v1', '--steps', '2000', '--backend', 'wasm', ...TINY, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? -1)));
    let runDir = '';
    await waitFor(() => {
      const running = cliJson(['runs', 'list', '--db', db, '--status', 'running', '--json']);
      if (running.length) runDir = running[0].run_dir;
      return running.length === 1 && fs.existsSync(path.join(runDir, 'metrics.jsonl'));
    }, 60_000, 'the run to train');
    const launcher = JSON.parse(fs.readFileSync(path.join(runDir, 'process.json'), 'utf8')).pid;
    const [trainer] = childrenOf(launcher);
    assert.ok(trainer, 'the trainer runs under the launcher');
    process.kill(trainer, 'SIGKILL');
    assert.equal(await exited, 1);
    const out = JSON.parse(stdout);
    assert.equal(out.status, 'failed');
    assert.equal(out.outcome.signal, 'SIGKILL');
    assert.match(out.outcome.reason, /killed by SIGKILL, which Tunix did not send/);
    assert.equal(pidAlive(launcher), false);
  });

  it('lists runs newest first with filters, and deletes a finished one', () => {
    const all = cliJson(['runs', 'list', '--db', db, '--json']);
    assert.ok(all.length >= 4);
    const failed = cliJson(['runs', 'list', '--db', db, '--status', 'failed', '--json']);
    assert.ok(failed.every((r: { status: string }) => r.status === 'failed'));
    const text = cli(['runs', 'list', '--db', db]);
    assert.match(text.stdout, /^RUN\s+STATUS\s+RECIPE\s+DATASET/);
    const bad = cli(['runs', 'list', '--db', db, '--status', 'done']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown run status "done"/);
    const victim = failed[0];
    assert.equal(cliJson(['runs', 'delete', victim.run_id, '--db', db, '--json']).deleted, victim.run_id);
    assert.equal(fs.existsSync(victim.run_dir), false);
    const missing = cli(['runs', 'show', victim.run_id, '--db', db]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No run/);
  });
});
