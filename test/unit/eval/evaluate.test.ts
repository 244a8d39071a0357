import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../../../src/core/eval/evaluate';
import { parseEvalItems, readEvalItems } from '../../../src/core/eval/evalItems';
import { parsePredictions, readPredictions } from '../../../src/core/eval/predictions';
import { answerCorrectnessV1 } from '../../../src/core/eval/judges/answerCorrectnessV1';
import { answerCorrectnessV2 } from '../../../src/core/eval/judges/answerCorrectnessV2';
import { baselineJudge } from '../../../src/core/eval/judges/baselineJudge';
import { tempDir } from '../helpers';

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('eval items file', () => {
  it('reads items with optional fields; numbers become text; BOM, CRLF and blank lines are fine', () => {
    const text = '\uFEFF' + [JSON.stringify({ id: 1, prompt: '2+2', expected_answer: 4, difficulty: 1 }), '', JSON.stringify({ id: 'b', prompt: 'p', expected_answer: 'x', section: 's', category: 'c' })].join('\r\n');
    const items = parseEvalItems(text);
    assert.deepEqual(items, [
      { id: '1', prompt: '2+2', expected_answer: '4', difficulty: '1' },
      { id: 'b', prompt: 'p', expected_answer: 'x', section: 's', category: 'c' },
    ]);
  });

  it('lists every bad line with its number and what to fix', () => {
    const text = [
      JSON.stringify({ id: 'a', prompt: 'p', expected_answer: 'x' }),
      '{"id": "b", "prompt": ',
      JSON.stringify([1, 2]),
      JSON.stringify({ id: 'c', prompt: 'p' }),
      JSON.stringify({ id: 'a', prompt: 'p', expected_answer: 'y' }),
      JSON.stringify({ prompt: 'p', expected_answer: 'y' }),
      JSON.stringify({ id: 'd', prompt: 'p', expected_answer: ['y'] }),
      JSON.stringify({ id: 'e', prompt: 'p', expected_answer: 'y', category: { a: 1 } }),
      JSON.stringify({ id: 'f', prompt: 'p', final_answer: 'y', steps: [] }),
    ].join('\n');
    assert.throws(
      () => parseEvalItems(text, 'items.jsonl'),
      (err: Error) => {
        assert.equal(err.name, 'UserError');
        assert.match(err.message, /^8 bad lines in the eval items file items\.jsonl:/);
        assert.match(err.message, /items\.jsonl:2: invalid JSON/);
        assert.match(err.message, /items\.jsonl:3: expected a JSON object, found an array/);
        assert.match(err.message, /items\.jsonl:4: item "c": missing "expected_answer"/);
        assert.match(err.message, /items\.jsonl:5: duplicate item id "a" \(first on line 1\)/);
        assert.match(err.message, /items\.jsonl:6: missing "id"/);
        assert.match(err.message, /items\.jsonl:7: item "d": "expected_answer" must be a string, found an array/);
        assert.match(err.message, /items\.jsonl:8: item "e": "category" must be a string or a number, found an object/);
        assert.match(err.message, /items\.jsonl:9: .*looks like a trace.*--format eval_items/);
        return true;
      },
    );
  });

  it('a missing or empty file is a clear error', () => {
    const dir = tempDir();
    assert.throws(() => readEvalItems(path.join(dir, 'nope.jsonl')), /eval items file .*nope\.jsonl does not exist/);
    fs.writeFileSync(path.join(dir, 'empty.jsonl'), '\n\n');
    assert.throws(() => readEvalItems(path.join(dir, 'empty.jsonl')), /holds no items/);
    assert.throws(() => readEvalItems(dir), /is a folder/);
  });
});

describe('predictions file', () => {
  it('takes id or trace_id; null is no prediction; numbers become text; extra fields are ignored', () => {
    const preds = parsePredictions(jsonl([{ id: 'a', prediction: 'x', ms: 3 }, { trace_id: 'b', prediction: 42 }, { id: 'c', trace_id: 'c', prediction: null }]));
    assert.deepEqual(
      preds.map((p) => [p.id, p.prediction]),
      [
        ['a', 'x'],
        ['b', '42'],
        ['c', undefined],
      ],
    );
  });

  it('reports bad lines by number', () => {
    const text = jsonl([{ id: 'a', prediction: 'x' }, { id: 'a', prediction: 'y' }, { id: 'b', trace_id: 'c', prediction: 'z' }, { prediction: 'z' }, { id: 'd' }, { id: 'e', prediction: { text: 'x' } }]);
    assert.throws(
      () => parsePredictions(text, 'p.jsonl'),
      (err: Error) => {
        assert.match(err.message, /5 bad lines/);
        assert.match(err.message, /p\.jsonl:2: a second prediction for "a" \(first on line 1\)/);
        assert.match(err.message, /p\.jsonl:3: "id" \("b"\) and "trace_id" \("c"\) disagree/);
        assert.match(err.message, /p\.jsonl:4: missing "id" \(or "trace_id"\)/);
        assert.match(err.message, /p\.jsonl:5: prediction for "d": missing "prediction"/);
        assert.match(err.message, /p\.jsonl:6: .*must be a string .*found an object/);
        return true;
      },
    );
  });

  it('lists at most 20 problems and counts the rest', () => {
    const text = Array.from({ length: 30 }, () => 'nope').join('\n');
    assert.throws(() => parsePredictions(text, 'p.jsonl'), (err: Error) => /30 bad lines/.test(err.message) && /\.\.\. and 10 more/.test(err.message) && !/p\.jsonl:21:/.test(err.message));
  });

  it('an empty file is a clear error', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'p.jsonl'), '');
    assert.throws(() => readPredictions(path.join(dir, 'p.jsonl')), /holds no predictions/);
  });
});

describe('evaluate', () => {
  const items = parseEvalItems(
    jsonl([
      { id: 'a', prompt: '1+1', expected_answer: '2', category: 'add', difficulty: 'easy', section: 's1' },
      { id: 'b', prompt: '2+2', expected_answer: '4', category: 'add', difficulty: 'hard' },
      { id: 'c', prompt: 'rev ab', expected_answer: 'ba', category: 'rev', difficulty: 'easy' },
      { id: 'd', prompt: '10*100', expected_answer: '1000', category: 'mul' },
    ]),
  );

  it("scores correct / items with v1 (a missing prediction is wrong) and keeps every item's result", async () => {
    const preds = parsePredictions(jsonl([{ id: 'a', prediction: ' 2 ' }, { id: 'b', prediction: '5' }, { id: 'c', prediction: 'BA' }, { id: 'zz', prediction: '?' }]));
    const r = await evaluate(items, preds, answerCorrectnessV1);
    assert.equal(r.judge, 'answer_correctness@v1');
    const sc = r.scorecard;
    assert.equal(sc.n_items, 4);
    assert.equal(sc.n_scored, 3);
    assert.equal(sc.n_correct, 2);
    assert.equal(sc.primary_score, 0.5);
    assert.equal(sc.stddev, 0.5);
    assert.equal(sc.min, 0);
    assert.equal(sc.max, 1);
    assert.ok(sc.ci95[0] < 0.5 && sc.ci95[1] > 0.5 && sc.ci95[0] >= 0 && sc.ci95[1] <= 1);
    assert.deepEqual(sc.breakdowns.category, {
      add: { n_items: 2, n_scored: 2, primary_score: 0.5 },
      mul: { n_items: 1, n_scored: 0, primary_score: 0 },
      rev: { n_items: 1, n_scored: 1, primary_score: 1 },
    });
    assert.deepEqual(Object.keys(sc.breakdowns.difficulty!), ['(unspecified)', 'easy', 'hard']);
    assert.deepEqual(sc.breakdowns.section, { '(unspecified)': { n_items: 3, n_scored: 2, primary_score: 1 / 3 }, s1: { n_items: 1, n_scored: 1, primary_score: 1 } });
    assert.deepEqual(r.match, { items_without_prediction: 1, predictions_without_item: 1, sample_items_without_prediction: ['d'], sample_predictions_without_item: ['zz'] });
    assert.deepEqual(
      r.items.map((i) => [i.item_id, i.predicted, i.correct]),
      [
        ['a', ' 2 ', true],
        ['b', '5', false],
        ['c', 'BA', true],
        ['d', null, false],
      ],
    );
    assert.equal(r.items[0].expected, '2');
    assert.equal(r.items[0].prompt, '1+1');
    assert.equal(r.items[0].category, 'add');
  });

  it('v2 scores what v1 misses', async () => {
    const preds = parsePredictions(jsonl([{ id: 'a', prediction: 'Answer: 2.0' }, { id: 'b', prediction: 'Answer: 4.' }, { id: 'c', prediction: '"ba"' }, { id: 'd', prediction: '1,000' }]));
    assert.equal((await evaluate(items, preds, answerCorrectnessV1)).scorecard.primary_score, 0);
    assert.equal((await evaluate(items, preds, answerCorrectnessV2)).scorecard.primary_score, 1);
  });

  it('graded judges: mean score, no n_correct, normal interval inside [0, 1]', async () => {
    const preds = parsePredictions(jsonl([{ id: 'a', prediction: '1. ' + 'x'.repeat(500) + '\nAnswer: 2' }, { id: 'b', prediction: 'Answer: 4' }]));
    const r = await evaluate(items, preds, baselineJudge);
    assert.equal(r.scorecard.n_correct, null);
    assert.equal(r.scorecard.max, 0.55);
    assert.equal(r.scorecard.primary_score, 0.55 / 4);
    assert.ok(r.scorecard.ci95[0] >= 0 && r.scorecard.ci95[1] <= 1);
  });

  it('predictions that match no item at all are an error that shows both kinds of id', async () => {
    const preds = parsePredictions(jsonl([{ id: 'x1', prediction: '2' }, { id: 'x2', prediction: '2' }]));
    await assert.rejects(() => evaluate(items, preds, answerCorrectnessV1), /None of the 2 predictions matches an eval item id: predictions have ids like "x1", "x2", items like "a", "b", "c"/);
  });

  it('reports progress and can be cancelled', async () => {
    const seen: number[] = [];
    const preds = parsePredictions(jsonl([{ id: 'a', prediction: '2' }]));
    await evaluate(items, preds, answerCorrectnessV1, { onProgress: (d) => seen.push(d) });
    assert.deepEqual(seen, [1, 2, 3, 4]);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(() => evaluate(items, preds, answerCorrectnessV1, { signal: ac.signal }), /stop/);
  });
});
