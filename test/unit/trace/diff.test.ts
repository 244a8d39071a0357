import * as assert from 'node:assert/strict';
import { alignSteps, diffSequences, diffTraces, diffWords, tokenize, type DiffSegment } from '../../../src/core/trace/diff';
import type { TraceStep } from '../../../src/core/trace/types';

const leftOf = (segs: DiffSegment[]) => segs.filter((s) => s.kind !== 'added').map((s) => s.text).join('');
const rightOf = (segs: DiffSegment[]) => segs.filter((s) => s.kind !== 'removed').map((s) => s.text).join('');

/** A seeded generator so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** Minimal edit count (insertions + deletions) by the textbook LCS table, to check Myers against. */
function editDistance<T>(a: T[], b: T[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  return a.length + b.length - 2 * dp[0][0];
}

const step = (i: number, type: string, content: string): TraceStep => ({ i, type, content });

describe('trace diff', () => {
  it('tokenizes into words, whitespace runs and punctuation that join back to the text', () => {
    assert.deepEqual(tokenize("Reversed: 'nosaer'  ok"), ['Reversed', ':', ' ', "'", 'nosaer', "'", '  ', 'ok']);
    const text = 'Ünïcode wörds, 12+30=42\n\ttabs_and_underscores!';
    assert.equal(tokenize(text).join(''), text);
  });

  it('finds a minimal edit script (checked against the LCS table on random sequences)', () => {
    const r = rng(7);
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: Math.floor(r() * 30) }, () => 'abcd'[Math.floor(r() * 4)]);
      const b = Array.from({ length: Math.floor(r() * 30) }, () => 'abcd'[Math.floor(r() * 4)]);
      const ops = diffSequences(a, b, 1000)!;
      const edits = ops.filter((o) => o.kind !== 'equal').reduce((n, o) => n + o.to - o.from, 0);
      assert.equal(edits, editDistance(a, b), `a=${a.join('')} b=${b.join('')}`);
      // Replaying the script turns a into b.
      const rebuilt: string[] = [];
      for (const o of ops) if (o.kind !== 'removed') rebuilt.push(...(o.kind === 'equal' ? a : b).slice(o.from, o.to));
      assert.deepEqual(rebuilt, b);
    }
  });

  it('word diff: both texts are recovered exactly from the segments', () => {
    const r = rng(42);
    const words = ['the', 'carry', '1', '+', 'sum', 'is', '42', ',', ' ', ' ', '\n', 'step'];
    for (let round = 0; round < 200; round++) {
      const gen = () => Array.from({ length: Math.floor(r() * 40) }, () => words[Math.floor(r() * words.length)]).join('');
      const a = gen();
      const b = gen();
      const d = diffWords(a, b);
      assert.equal(leftOf(d.segments), a);
      assert.equal(rightOf(d.segments), b);
      assert.equal(d.changed, a !== b);
    }
  });

  it('word diff: shows a replaced phrase as one removal and one addition', () => {
    const d = diffWords('the quick brown fox jumps', 'the slow red fox jumps');
    assert.deepEqual(d.segments, [
      { kind: 'equal', text: 'the ' },
      { kind: 'removed', text: 'quick brown' },
      { kind: 'added', text: 'slow red' },
      { kind: 'equal', text: ' fox jumps' },
    ]);
    assert.ok(d.exact);
    assert.ok(d.similarity > 0.5 && d.similarity < 1);
  });

  it('word diff: identical and empty texts', () => {
    assert.deepEqual(diffWords('same', 'same'), { segments: [{ kind: 'equal', text: 'same' }], changed: false, exact: true, similarity: 1 });
    assert.deepEqual(diffWords('', 'new').segments, [{ kind: 'added', text: 'new' }]);
    assert.deepEqual(diffWords('old', '').segments, [{ kind: 'removed', text: 'old' }]);
  });

  it('word diff degrades to a line diff (marked inexact) when the texts are too different, and stays fast at the schema maximum', () => {
    const r = rng(3);
    const big = (n: number) => Array.from({ length: n }, (_, k) => `w${Math.floor(r() * 1e6)}${k % 10 === 9 ? '\n' : ' '}`).join('');
    const a = big(10_000); // ~85k chars, beyond the 50k prompt limit
    const b = big(10_000);
    const started = Date.now();
    const d = diffWords(a, b);
    const ms = Date.now() - started;
    assert.equal(d.exact, false);
    assert.equal(leftOf(d.segments), a);
    assert.equal(rightOf(d.segments), b);
    // Not a timing assertion on the happy path: a guard against the quadratic blow-up (minutes).
    assert.ok(ms < 20_000, `took ${ms} ms`);
    // A small edit in a big text is still an exact word diff.
    const edited = a.replace(/w\d+/, 'CHANGED');
    const small = diffWords(a, edited);
    assert.ok(small.exact);
    assert.deepEqual(small.segments.filter((s) => s.kind !== 'equal').map((s) => s.kind), ['removed', 'added']);
  });

  it('aligns identical steps and pairs edited ones by similarity, inserting gaps for added and removed steps', () => {
    const left = [
      step(0, 'process', 'Take each character from end to start'),
      step(1, 'process', 'Write the characters down in order'),
      step(2, 'check', 'Count the letters: six'),
      step(3, 'result', "Reversed: 'nosaer'"),
    ];
    const right = [
      step(0, 'process', 'Take each character from end to start'),
      step(1, 'note', 'An extra remark nobody asked for'),
      step(2, 'process', 'Write all the characters down in order'),
      step(5, 'result', "Reversed: 'nosaer'"),
    ];
    const pairs = alignSteps(left, right);
    assert.deepEqual(
      pairs.map((p) => [p.kind, p.left?.position ?? null, p.right?.position ?? null]),
      [
        ['same', 0, 0],
        ['added', null, 1],
        ['changed', 1, 2],
        ['removed', 2, null],
        ['same', 3, 3],
      ],
    );
    const changed = pairs[2];
    assert.deepEqual(changed.content!.segments, [
      { kind: 'equal', text: 'Write ' },
      { kind: 'added', text: 'all ' },
      { kind: 'equal', text: 'the characters down in order' },
    ]);
    assert.equal(changed.typeChanged, false);
  });

  it('does not pair unrelated steps', () => {
    const pairs = alignSteps([step(0, 'a', 'alpha beta gamma')], [step(0, 'a', 'completely different words here')]);
    assert.deepEqual(pairs.map((p) => p.kind), ['removed', 'added']);
  });

  it('aligns long step lists (1,000 steps each) quickly', () => {
    const left = Array.from({ length: 1000 }, (_, k) => step(k, 'process', `step ${k}: add ${k} and ${k + 1} to get ${2 * k + 1}`));
    const right = left.map((s, k) => (k % 50 === 0 ? { ...s, content: s.content + ' (checked)' } : s)).filter((_, k) => k % 97 !== 5);
    const pairs = alignSteps(left, right);
    assert.equal(pairs.filter((p) => p.kind === 'changed').length, 20);
    assert.equal(pairs.filter((p) => p.kind === 'removed').length, left.length - right.length);
    assert.equal(pairs.filter((p) => p.kind === 'added').length, 0);
    // Every step of both sides appears exactly once, in order.
    assert.deepEqual(pairs.flatMap((p) => (p.left ? [p.left.position] : [])), left.map((_, k) => k));
    assert.deepEqual(pairs.flatMap((p) => (p.right ? [p.right.position] : [])), right.map((_, k) => k));
  });

  it('diffs whole traces: prompt, answer, steps and meta, with a summary', () => {
    const a = { prompt: 'Add 12 and 30', final_answer: '42', steps: [step(0, 'calc', '2+0=2'), step(1, 'calc', '1+3=4')], meta: { source: 'gen', category: 'add', level: 1 } };
    const b = { prompt: 'Add 12 and 31', final_answer: '43', steps: [step(0, 'calc', '2+1=3'), step(1, 'calc', '1+3=4')], meta: { source: 'gen', level: 2, extra: true } };
    const d = diffTraces(a, b);
    assert.equal(d.summary.promptChanged, true);
    assert.equal(d.summary.finalAnswerChanged, true);
    assert.equal(d.summary.stepsSame, 1);
    assert.equal(d.summary.identical, false);
    assert.deepEqual(d.meta, [
      { key: 'category', kind: 'removed', left: 'add' },
      { key: 'extra', kind: 'added', right: 'true' },
      { key: 'level', kind: 'changed', left: '1', right: '2' },
      { key: 'source', kind: 'same', left: 'gen', right: 'gen' },
    ]);
    assert.equal(diffTraces(a, structuredClone(a)).summary.identical, true);
  });
});
