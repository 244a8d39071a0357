import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contentHash, FirstLineByKey, lanes, traceKey, traceKeyLanes } from '../../../src/core/trace/hash';
import { baselineScore } from '../../../src/core/trace/score';
import { renderModelTurn, renderTunixSft } from '../../../src/core/trace/render';
import { validRecord } from './corpus';
import type { TraceRecord } from '../../../src/core/trace/types';

const rec = (over: Partial<TraceRecord> = {}): TraceRecord => ({ ...(validRecord(1) as unknown as TraceRecord), ...over });
const step = (i: number, content: string, type = 'process') => ({ i, type, content });

describe('contentHash', () => {
  it('is sha256 of the canonical {prompt, steps, final_answer} JSON', () => {
    const r = rec();
    const canonical = `{"prompt":${JSON.stringify(r.prompt)},"steps":[${r.steps.map((s) => `{"i":${s.i},"type":${JSON.stringify(s.type)},"content":${JSON.stringify(s.content)}}`).join(',')}],"final_answer":${JSON.stringify(r.final_answer)}}`;
    assert.equal(contentHash(r), createHash('sha256').update(canonical).digest('hex'));
    assert.match(contentHash(r), /^[0-9a-f]{64}$/);
  });

  it('ignores key order, trace_version, meta and id; sees every content change', () => {
    const r = rec();
    const reordered = JSON.parse(JSON.stringify({ final_answer: r.final_answer, steps: r.steps.map((s) => ({ content: s.content, i: s.i, type: s.type })), prompt: r.prompt }));
    assert.equal(contentHash(reordered), contentHash(r));
    assert.equal(contentHash({ ...r, trace_version: '2.0', meta: { x: 1 }, id: 'abc' } as TraceRecord), contentHash(r));
    for (const changed of [rec({ prompt: r.prompt + ' ' }), rec({ final_answer: '3' }), rec({ steps: [r.steps[1], r.steps[0]] }), rec({ steps: [{ ...r.steps[0], i: 5 }, r.steps[1]] }), rec({ steps: [{ ...r.steps[0], type: 'x' }, r.steps[1]] })]) {
      assert.notEqual(contentHash(changed), contentHash(r));
    }
  });
});

describe('traceKey (in-file duplicate fingerprint)', () => {
  it('agrees with contentHash on what is the same trace', () => {
    const r = rec();
    assert.equal(traceKey({ ...r, meta: null, trace_version: 'z' } as TraceRecord), traceKey(r));
    assert.notEqual(traceKey(rec({ prompt: 'ab', final_answer: 'c' })), traceKey(rec({ prompt: 'a', final_answer: 'bc' })));
    assert.notEqual(traceKey(rec({ steps: [step(0, 'ab', 'c')] })), traceKey(rec({ steps: [step(0, 'a', 'bc')] })));
    assert.notEqual(traceKey(rec({ steps: [step(0, 'x')] })), traceKey(rec({ steps: [step(2 ** 32, 'x')] })));
    assert.notEqual(traceKey(rec({ prompt: 'abc' })), traceKey(rec({ prompt: 'abd' })));
  });

  it('FirstLineByKey finds exactly the repeats among 200,000 traces (through many table growths)', () => {
    const table = new FirstLineByKey();
    const firsts: number[] = [];
    for (let n = 1; n <= 200_000; n++) {
      const k = n % 150_000; // lines 150,001.. repeat lines 1..50,000's content (k = 1..50,000)
      traceKeyLanes({ prompt: `p${k}`, final_answer: String(k), steps: [step(0, `s${k}`)] });
      const first = table.firstOr(n);
      if (first) firsts.push(n - first);
    }
    assert.equal(firsts.length, 50_000);
    assert.ok(firsts.every((d) => d === 150_000));
    assert.equal(lanes.length, 2);
  });
});

describe('baselineScore (tunix-rt baseline)', () => {
  it('reproduces tunix-rt on its example trace', () => {
    const r = rec({ steps: [step(0, "Take each character from end to start of 'reason'"), step(1, "Reversed: 'nosaer'", 'result')] });
    assert.deepEqual(baselineScore(r), {
      score: 13.35,
      criteria: 'baseline',
      details: { step_count: 2, avg_step_length: 33.5, total_chars: 67, step_score: 10, length_score: 3.35, criteria: 'baseline' },
    });
  });

  it('caps at 10 steps and 500 characters per step: 100 at most', () => {
    const many = rec({ steps: Array.from({ length: 12 }, (_, i) => step(i, 'x'.repeat(600))) });
    assert.equal(baselineScore(many).score, 100);
    const one = rec({ steps: [step(0, 'x'.repeat(250))] });
    assert.equal(baselineScore(one).score, 30); // 5 + 25
  });

  it('rounds to 2 decimals like Python round() and counts code points like Python len()', () => {
    // 3 steps of 1, 1 and 2 chars: avg 1.3333 -> length_score 0.13333 -> 0.13; total 15.13
    assert.equal(baselineScore(rec({ steps: [step(0, 'a'), step(1, 'b'), step(2, 'cd')] })).score, 15.13);
    const emoji = baselineScore(rec({ steps: [step(0, '\u{1F600}'.repeat(100))] }));
    assert.equal(emoji.details.total_chars, 100);
    assert.equal(emoji.details.length_score, 10);
    // avg 1.125 -> 0.1125 (exact in binary; half to even -> 0.11); total 5.1125 -> 5.11 (not exactly representable: nearest)
    const half = baselineScore(rec({ steps: Array.from({ length: 8 }, (_, i) => step(i, i === 0 ? 'ab' : 'a')) }));
    assert.equal(half.details.avg_step_length, 1.12);
    assert.equal(half.score, 40.11);
  });
});

describe('renderTunixSft (Gemma template)', () => {
  it('renders prompt, numbered steps in stored order and the answer', () => {
    const r = rec({ prompt: "Reverse the string: 'reason'", final_answer: 'nosaer', steps: [step(5, 'Take each character from end to start'), step(1, "Reversed: 'nosaer'")] });
    assert.equal(
      renderTunixSft(r),
      "<start_of_turn>user\nReverse the string: 'reason'<end_of_turn>\n<start_of_turn>model\nReasoning:\n1. Take each character from end to start\n2. Reversed: 'nosaer'\nAnswer: nosaer<end_of_turn>",
    );
  });

  it('with no steps the model turn is just the answer', () => {
    assert.equal(renderModelTurn({ steps: [], final_answer: '4' }), 'Answer: 4');
    assert.equal(renderTunixSft({ prompt: 'q', steps: [], final_answer: '4' }), '<start_of_turn>user\nq<end_of_turn>\n<start_of_turn>model\nAnswer: 4<end_of_turn>');
  });
});
