// `tunix-rt demo` with its train and evaluate stages, end to end through the real CLI: a real
// (tiny, 20-step) training run of the built-in trainer, its predictions judged with
// answer_correctness@v2 and @v1, stored where the leaderboard finds them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, cliJson, tempDir } from '../helpers';

// A model small enough to train and generate in seconds; it learns nothing in 20 steps, so
// the test checks the loop and its figures, not the accuracy (bench/train.ts measures that).
const TINY = ['--steps', '20', '--set', 'layers=1', '--set', 'd_model=16', '--set', 'heads=2', '--set', 'mlp=32', '--set', 'max_new_tokens=24', '--set', 'eval_interval=10'];

interface Evaluation {
  judge: string;
  evaluation_id: string;
  n_items: number;
  n_correct: number;
  primary_score: number;
  breakdowns: Record<string, Record<string, { n_items: number }>>;
}

describe('tunix-rt demo: train and evaluate', function () {
  this.timeout(120_000);

  it('trains a real run on the demo dataset, evaluates it with both judges and reports the figures', () => {
    const dir = path.join(tempDir('tunix-demo-learn-'), 'demo');
    const r = cli(['demo', '--dir', dir, '--count', '400', '--seed', '3', '--backend', 'auto', ...TINY, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.stages.map((s: { stage: string; status: string }) => [s.stage, s.status]),
      ['generate', 'import', 'dataset', 'export', 'train', 'evaluate', 'register'].map((s) => [s, 'ok']),
    );
    const train = report.stages[4].data;
    assert.match(report.run_id, /^run-/);
    assert.equal(train.run_id, report.run_id);
    assert.equal(train.status, 'completed');
    assert.equal(train.steps, 20);
    assert.ok(typeof train.backend === 'string' && train.backend !== 'auto', `the backend actually used, got ${train.backend}`);
    assert.ok(Number.isFinite(train.loss) && train.loss > 0, `final loss ${train.loss}`);
    assert.ok(Number.isFinite(train.eval_loss) && train.eval_loss > 0, `eval loss ${train.eval_loss}`);
    assert.ok(train.tokens_per_second > 0);
    assert.ok(train.wall_seconds > 0);
    assert.ok(fs.existsSync(train.predictions), 'the run wrote predictions');
    // Progress went to stderr while the run trained.
    assert.match(r.stderr, /step \d+\/20/);

    const evaluations = report.stages[5].data.evaluations as Evaluation[];
    assert.deepEqual(evaluations.map((e) => e.judge), ['answer_correctness@v2', 'answer_correctness@v1']);
    const testItems = report.stages[2].data.splits.test as number;
    for (const e of evaluations) {
      assert.equal(e.n_items, testItems);
      assert.ok(e.n_items > 0);
      assert.ok(e.primary_score >= 0 && e.primary_score <= 1, `${e.judge} primary_score ${e.primary_score}`);
      const byDifficulty = Object.values(e.breakdowns.difficulty ?? {}).reduce((s, g) => s + g.n_items, 0);
      assert.equal(byDifficulty, e.n_items, 'the difficulty breakdown covers every item');
    }

    // @v1 is tunix-rt's exact match: recount it from the run's own files.
    const expected = new Map(
      fs.readFileSync(report.stages[3].data.files['test.eval_items'].path, 'utf8').trim().split('\n').map((l) => {
        const item = JSON.parse(l);
        return [item.id as string, item.expected_answer as string];
      }),
    );
    const predictions = fs.readFileSync(train.predictions, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const right = predictions.filter((p) => expected.has(p.id) && String(p.prediction).trim().toLowerCase() === expected.get(p.id)!.trim().toLowerCase()).length;
    assert.equal(evaluations[1].n_correct, right);

    // Stored: the leaderboard of the demo's database lists both evaluations of the run.
    const board = cliJson<Array<{ evaluation_id: string; run_id: string }>>(['leaderboard', '--db', report.database, '--all', '--json']);
    for (const e of evaluations) assert.ok(board.some((row) => row.evaluation_id === e.evaluation_id && row.run_id === report.run_id), `${e.judge} on the leaderboard`);

    // Registered: the run's model is version 1 of "demo", with the latest evaluation's score.
    const registered = report.stages[6].data;
    assert.deepEqual([registered.name, registered.version], ['demo', 1]);
    assert.ok(registered.files >= 3, `model files: ${registered.files}`);
    assert.equal(cli(['models', 'verify', 'demo@1', '--db', report.database]).code, 0, 'its files match their SHA-256');
    const [listed] = cliJson<Array<{ run_id: string; primary_score: number }>>(['models', 'list', '--db', report.database, '--json']);
    assert.equal(listed.run_id, report.run_id);
    assert.equal(listed.primary_score, evaluations[0].primary_score, 'the score by the demo\'s main judge (answer_correctness@v2)');
  });

  it('refuses a bad --set, --steps or --backend before touching the folder', () => {
    const dir = tempDir('tunix-demo-learn-');
    const demoDir = path.join(dir, 'demo');
    const cases: Array<[string[], RegExp]> = [
      [['--set', 'layrs=2'], /layrs/],
      [['--set', 'd_model=0'], /d_model/],
      [['--steps', '0'], /--steps/],
      [['--backend', 'tpu'], /--backend must be one of auto, .*got "tpu"/],
    ];
    for (const [args, message] of cases) {
      const r = cli(['demo', '--dir', demoDir, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(fs.existsSync(demoDir), false, `${args.join(' ')} made no folder`);
    }
  });
});
