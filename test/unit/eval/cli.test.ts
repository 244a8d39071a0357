// The eval, leaderboard and baseline commands as users and CI call them: the built CLI as a
// real child process, on a real database holding real run records and run folders.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, cliJson, tempDir } from '../helpers';
import { ITEMS, makeRun } from './fixtures';

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('tunix-rt eval (files)', () => {
  const dir = tempDir('tunix-eval-cli-');
  const items = path.join(dir, 'items.jsonl');
  const preds = path.join(dir, 'preds.jsonl');
  fs.writeFileSync(
    items,
    jsonl([
      { id: 'a', prompt: '1+1', expected_answer: '2', category: 'add', difficulty: 'easy' },
      { id: 'b', prompt: '1000*1', expected_answer: '1000', category: 'mul', difficulty: 'easy' },
      { id: 'c', prompt: 'rev ab', expected_answer: 'ba', category: 'rev', difficulty: 'hard' },
      { id: 'd', prompt: '3/6', expected_answer: '1/2', category: 'frac', difficulty: 'hard' },
    ]),
  );
  fs.writeFileSync(preds, jsonl([{ id: 'a', prediction: '2' }, { trace_id: 'b', prediction: 'Answer: 1,000' }, { id: 'c', prediction: ' BA ' }, { id: 'x', prediction: '0.5' }]));

  it('--json prints judge, n_items, n_scored and primary_score in [0, 1] (v1 by default)', () => {
    const r = cliJson(['eval', '--predictions', preds, '--items', items, '--json']);
    assert.equal(r.judge, 'answer_correctness@v1');
    assert.equal(r.n_items, 4);
    assert.equal(r.n_scored, 3);
    assert.equal(r.primary_score, 0.5);
    assert.equal(r.evaluation_id, null);
    assert.deepEqual(r.match.sample_predictions_without_item, ['x']);
    assert.deepEqual(Object.keys(r.breakdowns).sort(), ['category', 'difficulty']);
  });

  it('--judge answer_correctness@v2 forgives formatting; --per-item lists every item', () => {
    const r = cliJson(['eval', '--predictions', preds, '--items', items, '--judge', 'answer_correctness@v2', '--json', '--per-item']);
    assert.equal(r.judge, 'answer_correctness@v2');
    assert.equal(r.primary_score, 0.75);
    assert.deepEqual(
      r.items.map((i: any) => [i.item_id, i.correct]),
      [
        ['a', true],
        ['b', true],
        ['c', true],
        ['d', false],
      ],
    );
    assert.equal(r.items[3].predicted, null);
  });

  it('--judge baseline means baseline@v1: the full name is printed and stored', () => {
    const db = path.join(dir, 'bare-name', 'tunix.db');
    const r = cliJson(['eval', '--predictions', preds, '--items', items, '--judge', 'baseline', '--db', db, '--json']);
    assert.equal(r.judge, 'baseline@v1');
    assert.ok(r.evaluation_id, 'stored');
    const rows = cliJson(['leaderboard', '--db', db, '--json']);
    assert.deepEqual(rows.map((row: any) => row.judge), ['baseline@v1']);
  });

  it('prints a readable scorecard without --json', () => {
    const r = cli(['eval', '--predictions', preds, '--items', items]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /answer_correctness@v1 on 4 items \(3 with a prediction\)/);
    assert.match(r.stdout, /primary score 0\.500/);
    assert.match(r.stdout, /1 item\(s\) had no prediction and count as wrong \(e\.g\. d\)/);
    assert.match(r.stdout, /1 prediction\(s\) matched no item and were ignored \(e\.g\. x\)/);
  });

  it('bad input: exit 2 with the file, line and what to fix on stderr', () => {
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"id": "a", "prediction": "2"}\n{oops\n');
    let r = cli(['eval', '--predictions', bad, '--items', items]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: invalid JSON`));
    r = cli(['eval', '--predictions', path.join(dir, 'missing.jsonl'), '--items', items]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /predictions file .*missing\.jsonl does not exist/);
    r = cli(['eval', '--predictions', preds, '--items', items, '--judge', 'answer_correctness']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs a version, because its versions give different numbers.*answer_correctness@v1 or answer_correctness@v2/);
    r = cli(['eval', '--items', items]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--predictions is missing/);
    r = cli(['eval', 'run-x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs its database: add --db PATH/);
    r = cli(['eval', '--predictions', preds, '--items', items, '--judge', 'llm_judge@v1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs an endpoint/);
  });

  it('ids that match nothing: exit 2 naming both kinds of id', () => {
    const other = path.join(dir, 'other.jsonl');
    fs.writeFileSync(other, jsonl([{ id: 'zz1', prediction: '2' }]));
    const r = cli(['eval', '--predictions', other, '--items', items]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /None of the 1 predictions matches an eval item id: predictions have ids like "zz1", items like "a", "b", "c"/);
  });
});

describe('tunix-rt eval RUN_ID, leaderboard and baseline (a database with runs)', () => {
  const dir = tempDir('tunix-eval-runs-');
  const db = path.join(dir, '.tunix', 'tunix.db');
  const good = 'run-20250101-000000-aaaa';
  const worse = 'run-20250102-000000-bbbb';
  const same = 'run-20250103-000000-cccc';

  before(async () => {
    await makeRun(db, { id: good, right: (i) => i < 16, evalLoss: 0.5 }); // 16/20
    await makeRun(db, { id: worse, right: (i) => i < 12, evalLoss: 0.7, learningRate: 0.01 }); // 12/20
    await makeRun(db, { id: same, right: (i) => i !== 3 && i < 16 || i === 17, evalLoss: 0.45 }); // 16/20, different items
  });

  it("evaluates a run on its test split with its predictions and stores every item's result", () => {
    const r = cliJson(['eval', good, '--db', db, '--json', '--judge', 'answer_correctness@v2']);
    assert.equal(r.run_id, good);
    assert.equal(r.n_items, ITEMS.length);
    assert.equal(r.n_scored, ITEMS.length);
    assert.equal(r.primary_score, 0.8);
    assert.equal(r.dataset_key, 'addition-v1');
    assert.match(r.model, /^sft_transformer \d+L/);
    assert.equal(r.items_source, 'dataset addition-v1 split test');
    assert.ok(r.evaluation_id);
    assert.deepEqual(Object.keys(r.breakdowns.category), ['addition', 'carry']);
    // v1 is strict: "Reasoning:... Answer: 10" is not "10"
    assert.equal(cliJson(['eval', good, '--db', db, '--json']).primary_score, 0);
  });

  it('a unique prefix of the run id is enough; an unknown run is a clear error', () => {
    const r = cliJson(['eval', 'run-20250102', '--db', db, '--json', '--judge', 'answer_correctness@v2']);
    assert.equal(r.run_id, worse);
    assert.equal(r.primary_score, 0.6);
    const bad = cli(['eval', 'run-nope', '--db', db]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /No run "run-nope"/);
  });

  it('the leaderboard ranks runs by primary score, latest evaluation per run and judge', () => {
    cliJson(['eval', same, '--db', db, '--json', '--judge', 'answer_correctness@v2']);
    const rows = cliJson(['leaderboard', '--db', db, '--json', '--judge', 'answer_correctness@v2']);
    assert.deepEqual(
      rows.map((r: any) => [r.rank, r.run_id, r.primary_score]),
      [
        [1, good, 0.8],
        [1, same, 0.8],
        [3, worse, 0.6],
      ],
    );
    assert.equal(rows[0].dataset_key, 'addition-v1');
    assert.equal(rows[0].n_items, 20);
    const all = cliJson(['leaderboard', '--db', db, '--json']);
    assert.equal(all.length, 4, 'v1 and v2 rows');
    assert.equal(cliJson(['leaderboard', '--db', db, '--json', '--search', 'BBBB']).length, 1);
    assert.equal(cliJson(['leaderboard', '--db', db, '--json', '--since', '2999-01-01']).length, 0);
    assert.equal(cliJson(['leaderboard', '--db', db, '--json', '--dataset', 'other']).length, 0);
    const text = cli(['leaderboard', '--db', db]);
    assert.match(text.stdout, /#\s+score\s+run/);
    assert.match(text.stdout, new RegExp(`1\\s+0\\.800\\s+${good}`));
    const badDate = cli(['leaderboard', '--db', db, '--since', 'yesterday']);
    assert.equal(badDate.code, 2);
    assert.match(badDate.stderr, /--since "yesterday" is not a date/);
  });

  it('compare: each run against the first, item by item, with config differences', () => {
    const r = cliJson(['compare', good, same, worse, '--db', db, '--judge', 'answer_correctness@v2', '--json', '--items', 'changed']);
    assert.deepEqual(r.runs.map((x: any) => [x.runId, x.judge]), [good, same, worse].map((id) => [id, 'answer_correctness@v2']));
    assert.deepEqual(
      r.pairs.map((p: any) => [p.index, p.fixed, p.broken, p.both_right, p.both_wrong, p.missing, Number(p.delta.toFixed(2))]),
      [
        [1, 1, 1, 15, 3, 0, 0],
        [2, 0, 4, 12, 4, 0, -0.2],
      ],
    );
    assert.equal(r.pairs[0].p_value, 1);
    assert.deepEqual(r.items.map((row: any) => [row.item_id, row.outcomes.join()]), [
      ['trace-003', 'broken,both_right'],
      ['trace-012', 'both_right,broken'],
      ['trace-013', 'both_right,broken'],
      ['trace-014', 'both_right,broken'],
      ['trace-015', 'both_right,broken'],
      ['trace-017', 'fixed,both_wrong'],
    ]);
    assert.ok(r.config.differences.some((d: any) => d.key.endsWith('learning_rate')), JSON.stringify(r.config.differences));
    const text = cli(['compare', good, worse, '--db', db, '--judge', 'answer_correctness@v2', '--items', 'broken']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /vs ref\s+delta\s+fixed\s+broken/);
    assert.match(text.stdout, /1\s+-0\.200\s+0\s+4\s+12\s+4\s+0/);
    assert.match(text.stdout, /Items broken \(4\):/);
    assert.match(text.stdout, /learning_rate/);
    // Without --judge each run's latest evaluation counts (here v1 for one, v2 for the other):
    // compared, with a warning. Bad input is exit 2 with the reason.
    assert.match(cli(['compare', good, worse, '--db', db]).stdout, /Warning: These evaluations used different judges \(answer_correctness@v1, answer_correctness@v2\)/);
    const one = cli(['compare', good, '--db', db]);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /at least two/);
    const unknown = cli(['compare', good, 'run-nope', '--db', db]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /"run-nope" is neither an evaluation nor an evaluated run/);
    assert.match(cli(['compare', good, worse, '--db', db, '--items', 'wrong']).stderr, /"wrong" is not an outcome/);
  });

  it('baseline check passes (exit 0) and regresses (exit 1) as it should', () => {
    const set = cliJson(['baseline', 'set', good, '--db', db, '--judge', 'answer_correctness@v2', '--tolerance', '0.05', '--json']);
    assert.equal(set.metric, 'primary_score');
    assert.equal(set.value, 0.8);
    assert.equal(set.direction, 'higher');
    let r = cli(['baseline', 'check', same, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /PASS: primary_score \(answer_correctness@v2\) of run run-20250103-000000-cccc is 0\.8, >= 0\.75/);
    assert.match(r.stdout, /Verdict: PASS/);
    r = cli(['baseline', 'check', worse, '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /REGRESSED: primary_score \(answer_correctness@v2\) of run run-20250102-000000-bbbb is 0\.6, < 0\.75/);
    assert.match(r.stdout, /Verdict: REGRESSED/);
    const json = JSON.parse(cli(['baseline', 'check', worse, '--db', db, '--json']).stdout);
    assert.equal(json.verdict, 'regressed');
    assert.equal(json.checks[0].delta.toFixed(2), '-0.20');
  });

  it('training-metric baselines: lower is better for eval_loss, relative tolerance', () => {
    const set = cliJson(['baseline', 'set', good, '--db', db, '--metric', 'eval_loss', '--tolerance', '10%', '--json']);
    assert.equal(set.direction, 'lower');
    assert.equal(set.value, 0.5);
    assert.equal(set.toleranceKind, 'relative');
    assert.equal(cli(['baseline', 'check', same, '--db', db, '--metric', 'eval_loss']).code, 0);
    const r = cli(['baseline', 'check', worse, '--db', db, '--metric', 'eval_loss']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /eval_loss of run .* is 0\.7, > 0\.55/);
    // Every baseline at once: one regression fails the whole check.
    assert.equal(cli(['baseline', 'check', worse, '--db', db]).code, 1);
    const list = cliJson(['baseline', 'list', '--db', db, '--json']);
    assert.deepEqual(list.map((b: any) => b.metric).sort(), ['eval_loss', 'primary_score']);
  });

  it('says what is wrong when a check cannot run (exit 2)', async () => {
    let r = cli(['baseline', 'set', good, '--db', db, '--metric', 'accuracy']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Is a higher or a lower "accuracy" better\?/);
    r = cli(['baseline', 'set', good, '--db', db, '--metric', 'bleu', '--higher-is-better']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /logged no "bleu" metric\. It has: eval_loss, learning_rate, loss/);
    r = cli(['baseline', 'set', good, '--db', db, '--tolerance', 'lots']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Tolerance "lots" is not a number/);
    const fresh = 'run-20250104-000000-dddd';
    await makeRun(db, { id: fresh, right: () => true });
    r = cli(['baseline', 'check', fresh, '--db', db, '--metric', 'primary_score']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /has no evaluation by answer_correctness@v2; run `tunix-rt eval run-20250104-000000-dddd --db PATH --judge answer_correctness@v2` first/);
    r = cli(['baseline', 'frob', '--db', db]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown verb "frob"/);
    assert.equal(cli(['baseline', 'set', '--help']).code, 0);
    const removed = cliJson(['baseline', 'remove', '--db', db, '--metric', 'eval_loss', '--json']);
    assert.equal(removed.removed, true);
  });

  it('a running run cannot be evaluated yet', async () => {
    const running = 'run-20250105-000000-eeee';
    await makeRun(db, { id: running, right: () => true, status: 'running' });
    const r = cli(['eval', running, '--db', db]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /still running/);
  });
});
