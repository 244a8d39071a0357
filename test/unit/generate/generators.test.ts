import * as assert from 'node:assert/strict';
import { createRng, DIFFICULTIES, generateTraces, parseDifficulties, parseTask, TASK_NAMES, type Difficulty, type TaskName } from '../../../src/core/generate';
import { isUserError } from '../../../src/core/errors';
import { validateTraceLine } from '../../../src/core/trace/validate';
import type { TraceRecord } from '../../../src/core/trace/types';
import { CHECKERS } from './checkers';

const CATEGORY: Record<TaskName, string> = {
  addition: 'arithmetic',
  subtraction: 'arithmetic',
  multiplication: 'arithmetic',
  reverse: 'string',
  count_letters: 'string',
  compare: 'comparison',
  unit_convert: 'conversion',
  high_card: 'game',
};

function take(task: TaskName | 'mixed', count: number, seed: number, difficulties?: Difficulty[]): TraceRecord[] {
  return [...generateTraces({ task, count, seed, difficulties })];
}

describe('synthetic trace generators', () => {
  for (const task of TASK_NAMES) {
    for (const difficulty of DIFFICULTIES) {
      it(`${task} (${difficulty}): valid traces, answers recomputed from the prompt, steps that do the work`, () => {
        // Several seeds, so rare branches (final carries, negative results, ties) are reached.
        for (const seed of [1, 2, 3, 99, -5]) {
          for (const t of take(task, 120, seed, [difficulty])) {
            const v = validateTraceLine(JSON.stringify(t), 1);
            assert.deepEqual(v.problems, [], `validator problems for ${JSON.stringify(t)}`);
            assert.ok(v.record);
            CHECKERS[task](t);
            assert.deepEqual(t.meta, { source: 'generated', category: CATEGORY[task], task_type: task, difficulty, ...(task === 'high_card' ? { game: 'high_card_duel' } : {}), seed });
            assert.deepEqual(t.steps.map((s) => s.i), t.steps.map((_s, k) => k));
          }
        }
      });
    }
  }

  it('reaches the interesting cases: final carries, borrows, negative differences, ties, absent letters, division', () => {
    const texts = (task: TaskName, d: Difficulty[]) => take(task, 400, 11, d).map((t) => JSON.stringify(t));
    assert.ok(texts('addition', ['medium']).some((s) => /carry 1"\},\{"i":\d+,"type":"result"/.test(s)), 'an addition whose last column carries');
    assert.ok(texts('subtraction', ['medium']).some((s) => s.includes('borrow 1')), 'a borrow');
    assert.ok(take('subtraction', 200, 3, ['hard']).some((t) => t.final_answer.startsWith('-')), 'a negative difference');
    assert.ok(take('high_card', 300, 4, ['easy']).some((t) => t.final_answer === 'tie'), 'a tie');
    assert.ok(take('high_card', 300, 4, ['medium']).some((t) => t.steps[2].content.includes('=')), 'a tie on the top card decided by the next');
    assert.ok(take('count_letters', 300, 5).some((t) => t.final_answer === '0'), 'a letter that does not appear');
    assert.ok(take('unit_convert', 300, 6, ['hard']).some((t) => t.steps[0].content.includes('divide')), 'a conversion to a larger unit');
    assert.ok(take('compare', 300, 7, ['hard']).some((t) => t.steps.some((s) => s.content.startsWith('Decimal parts padded'))), 'decimals with equal integer parts');
    assert.ok(take('multiplication', 300, 8, ['hard']).some((t) => t.steps.some((s) => /\(\w+ digit\): anything times 0/.test(s.content))), 'a zero digit in the multiplier');
  });

  it('is deterministic by seed, and the first N of a larger count are the same N', () => {
    const a = take('mixed', 200, 42);
    const b = take('mixed', 200, 42);
    assert.deepEqual(a, b);
    assert.deepEqual(take('mixed', 50, 42), a.slice(0, 50));
    const c = take('mixed', 200, 43);
    assert.notDeepEqual(c.map((t) => t.prompt), a.map((t) => t.prompt));
    // Seeds beyond 32 bits are not folded onto small ones.
    assert.notDeepEqual(take('addition', 5, 2 ** 32 + 1).map((t) => t.prompt), take('addition', 5, 1).map((t) => t.prompt));
  });

  it('pins the first traces of a seed, so a change to a generator is a visible decision', () => {
    const t = take('addition', 1, 2)[0];
    assert.equal(t.prompt, 'What is 982 + 627?');
    assert.deepEqual(t.steps.map((s) => s.content), ['2+7+0=9, write 9 carry 0', '8+2+0=10, write 0 carry 1', '9+6+1=16, write 6 carry 1', '982+627=1609']);
    assert.equal(t.final_answer, '1609');
  });

  it('never repeats a prompt within one run', () => {
    for (const task of [...TASK_NAMES, 'mixed'] as const) {
      const prompts = take(task, 700, 9, ['easy']).map((t) => t.prompt);
      assert.equal(new Set(prompts).size, prompts.length, task);
    }
  });

  it('mixed deals every task in each round of eight', () => {
    const traces = take('mixed', 80, 1);
    for (let round = 0; round < 10; round++) {
      const tasks = traces.slice(round * 8, round * 8 + 8).map((t) => t.meta?.task_type);
      assert.deepEqual([...tasks].sort(), [...TASK_NAMES].sort());
    }
  });

  it('says clearly when a task has fewer distinct problems than asked for', () => {
    assert.throws(
      () => take('multiplication', 1000, 1, ['easy']),
      (err: unknown) => isUserError(err) && /Only 810 distinct "multiplication" problems/.test((err as Error).message) && /--count/.test((err as Error).message),
    );
  });

  it('rejects bad tasks, difficulties and counts with the valid choices', () => {
    assert.throws(() => parseTask('divide'), /Unknown task "divide".*addition.*mixed/);
    assert.throws(() => parseDifficulties('easy,insane'), /Bad difficulty "insane"/);
    assert.deepEqual(parseDifficulties('all'), ['easy', 'medium', 'hard']);
    assert.deepEqual(parseDifficulties('hard, easy,hard'), ['hard', 'easy']);
    assert.throws(() => take('addition', -1, 1), /count must be an integer/);
    assert.throws(() => take('addition', 1, 1.5), /seed must be an integer/);
  });
});

describe('seeded PRNG', () => {
  it('gives the same sequence for the same seed and a flat distribution', () => {
    const a = createRng(123);
    const b = createRng(123);
    const xs = Array.from({ length: 1000 }, () => a.next());
    assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    // Chi-square over 10 buckets of 100k ints: 27.9 is the 0.1 % critical value for 9 dof.
    const r = createRng(7);
    const buckets = new Array(10).fill(0);
    for (let k = 0; k < 100_000; k++) buckets[r.int(0, 9)]++;
    const chi = buckets.reduce((s, n) => s + (n - 10_000) ** 2 / 10_000, 0);
    assert.ok(chi < 27.9, `chi-square ${chi}`);
  });

  it('shuffles without losing or adding items and leaves the input alone', () => {
    const input = Array.from({ length: 52 }, (_v, k) => k);
    const out = createRng(5).shuffled(input);
    assert.deepEqual([...out].sort((x, y) => x - y), input);
    assert.notDeepEqual(out, input);
    assert.deepEqual(input, Array.from({ length: 52 }, (_v, k) => k));
  });

  it('rejects seeds that are not safe integers', () => {
    assert.throws(() => createRng(0.5), /safe integer/);
    assert.throws(() => createRng(2 ** 60), /safe integer/);
  });
});
