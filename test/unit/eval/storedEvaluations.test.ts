// Evaluations, the leaderboard and baselines on a real store (sql.js + journal), in-process.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { openStore, type Store } from '../../../src/core/store';
import { evaluate } from '../../../src/core/eval/evaluate';
import { parseEvalItems } from '../../../src/core/eval/evalItems';
import { parsePredictions } from '../../../src/core/eval/predictions';
import { answerCorrectnessV2 } from '../../../src/core/eval/judges/answerCorrectnessV2';
import { answerCorrectnessV1 } from '../../../src/core/eval/judges/answerCorrectnessV1';
import { deleteEvaluation, getEvaluation, getItemResults, insertEvaluation, latestEvaluationOfRun, resolveEvaluationId, saveEvaluation } from '../../../src/core/eval/store/evaluations';
import { leaderboard, leaderboardFacets } from '../../../src/core/eval/leaderboard';
import { checkRun, lastChecksOfRun, listBaselines, setBaseline } from '../../../src/core/eval/baselines';
import { tempDir } from '../helpers';

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const items = parseEvalItems(jsonl(Array.from({ length: 10 }, (_, i) => ({ id: `i${i}`, prompt: `q${i}`, expected_answer: String(i), category: i < 5 ? 'low' : 'high' }))));
const predsRight = (n: number) => parsePredictions(jsonl(items.map((it, i) => ({ id: it.id, prediction: i < n ? `Answer: ${it.expected_answer}.` : 'x' }))));

describe('stored evaluations', () => {
  let store: Store;
  const dir = tempDir('tunix-eval-store-');
  const db = path.join(dir, 'tunix.db');
  before(async () => (store = await openStore(db)));
  after(async () => store.close());

  it("stores the scorecard and every item's result, and reads them back after a reopen", async () => {
    const result = await evaluate(items, predsRight(7), answerCorrectnessV2);
    const saved = await saveEvaluation(store, result, { runId: 'run-a', runName: 'A', datasetKey: 'd-1', model: 'm', itemsSource: 'dataset d-1 split test', predictionsSource: '/p.jsonl' });
    await store.close();
    store = await openStore(db);
    const back = store.read((q) => getEvaluation(q, saved.id))!;
    assert.deepEqual(back.scorecard, result.scorecard);
    assert.equal(back.runId, 'run-a');
    const itemsBack = store.read((q) => getItemResults(q, saved.id));
    assert.deepEqual(itemsBack, result.items);
    assert.equal(store.read((q) => resolveEvaluationId(q, saved.id.slice(0, 8))), saved.id);
    assert.throws(() => store.read((q) => resolveEvaluationId(q, 'zzzzzzzz')), /No evaluation "zzzzzzzz"/);
  });

  it('ranks the latest evaluation per run and judge, with shared ranks and filters', async () => {
    const at = (s: string) => `2025-03-0${s}T10:00:00.000Z`;
    const save = async (runId: string, n: number, createdAt: string, judge = answerCorrectnessV2, datasetKey = 'd-1') =>
      saveEvaluation(store, await evaluate(items, predsRight(n), judge), { runId, runName: runId, datasetKey, model: 'm', itemsSource: `dataset ${datasetKey} split test`, predictionsSource: `/${runId}.jsonl`, createdAt });
    await save('run-b', 9, at('1'));
    await save('run-b', 5, at('2')); // the latest of run-b: 0.5
    await save('run-c', 7, at('3'));
    await save('run-d', 8, at('4'), answerCorrectnessV1);
    await save('run-e', 6, at('5'), answerCorrectnessV2, 'd-2');
    const v2 = store.read((q) => leaderboard(q, { judge: 'answer_correctness@v2' }));
    assert.deepEqual(
      v2.map((r) => [r.rank, r.run_id, r.primary_score]),
      [
        [1, 'run-c', 0.7], // equal scores share a rank; the earlier evaluation is listed first
        [1, 'run-a', 0.7],
        [3, 'run-e', 0.6],
        [4, 'run-b', 0.5],
      ],
    );
    assert.equal(store.read((q) => leaderboard(q, { judge: 'answer_correctness@v2', all: true })).length, 5);
    assert.deepEqual(
      store.read((q) => leaderboard(q, { dataset: 'd-2' })).map((r) => r.run_id),
      ['run-e'],
    );
    assert.deepEqual(
      store.read((q) => leaderboard(q, { since: '2025-03-03', until: '2025-03-04' })).map((r) => r.run_id),
      ['run-c', 'run-d'], // run-d's v1 judge accepts none of the "Answer: 7." predictions
    );
    assert.deepEqual(
      store.read((q) => leaderboard(q, { text: 'RUN-D' })).map((r) => r.judge),
      ['answer_correctness@v1'],
    );
    assert.deepEqual(store.read((q) => leaderboard(q, { text: '100%_' })), [], 'LIKE wildcards in the text are literal');
    assert.deepEqual(store.read((q) => leaderboardFacets(q)), { judges: ['answer_correctness@v1', 'answer_correctness@v2'], datasets: ['d-1', 'd-2'] });
    assert.equal(store.read((q) => latestEvaluationOfRun(q, 'run-b'))!.scorecard.primary_score, 0.5);
  });

  it('baselines from evaluations: set, check, recorded verdicts', async () => {
    const b = await setBaseline(store, { runId: 'run-c', metric: 'primary_score', tolerance: 0, toleranceKind: 'absolute' });
    assert.equal(b.judge, 'answer_correctness@v2', 'the only judge run-c was evaluated with');
    assert.equal(b.value, 0.7);
    const pass = await checkRun(store, { runId: 'run-a' });
    assert.equal(pass.verdict, 'pass');
    const fail = await checkRun(store, { runId: 'run-b' });
    assert.equal(fail.verdict, 'regressed');
    const last = store.read((q) => lastChecksOfRun(q, 'run-b'));
    assert.equal(last.length, 1);
    assert.equal(last[0].verdict, 'regressed');
    await assert.rejects(() => checkRun(store, { runId: 'run-d' }), /Run run-d has no evaluation by answer_correctness@v2/);
    assert.equal(store.read((q) => listBaselines(q)).length, 1);
  });

  it('a failed write leaves nothing half-stored', async () => {
    const result = await evaluate(items, predsRight(3), answerCorrectnessV2);
    const before = store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM eval_item_results'))!.n;
    await assert.rejects(() =>
      store.write((tx) => {
        insertEvaluation(tx, result, { itemsSource: 'x', predictionsSource: 'y' }, 'dup-id');
        insertEvaluation(tx, result, { itemsSource: 'x', predictionsSource: 'y' }, 'dup-id');
      }),
    );
    assert.equal(store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM eval_item_results'))!.n, before);
    assert.equal(store.read((q) => getEvaluation(q, 'dup-id')), undefined);
    const saved = await saveEvaluation(store, result, { itemsSource: 'x', predictionsSource: 'y' });
    assert.equal(await store.write((tx) => deleteEvaluation(tx, saved.id)), true);
    assert.deepEqual(store.read((q) => getItemResults(q, saved.id)), []);
  });
});
