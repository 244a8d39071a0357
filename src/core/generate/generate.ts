// Turns task generators into valid trace records: deterministic for a seed (the first N
// traces of a larger count are the same N), no prompt repeated within one run, and meta
// that dataset filters and the stats view can group by.
import { UserError } from '../errors';
import type { TraceRecord } from '../trace/types';
import { createRng } from './prng';
import { TASKS } from './tasks';
import { DIFFICULTIES, TASK_NAMES, type Difficulty, type TaskName } from './types';

export type TaskChoice = TaskName | 'mixed';
export const TASK_CHOICES: readonly TaskChoice[] = [...TASK_NAMES, 'mixed'];
export const MAX_GENERATE_COUNT = 1_000_000;
export const GENERATED_TRACE_VERSION = '1.0';

export interface GenerateOptions {
  task: TaskChoice;
  count: number;
  seed: number;
  /** Difficulties to draw from, uniformly (default: all three). */
  difficulties?: readonly Difficulty[];
}

/** Parses a task name, with the list of valid ones in the error. */
export function parseTask(value: string): TaskChoice {
  if ((TASK_CHOICES as readonly string[]).includes(value)) return value as TaskChoice;
  throw new UserError(`Unknown task "${value}". Tasks: ${TASK_CHOICES.join(', ')}.`);
}

/** Parses "easy", "easy,medium" or "all". */
export function parseDifficulties(value: string): Difficulty[] {
  if (value.trim() === 'all') return [...DIFFICULTIES];
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = parts.filter((p) => !(DIFFICULTIES as readonly string[]).includes(p));
  if (!parts.length || bad.length) {
    throw new UserError(`Bad difficulty "${bad[0] ?? value}". Use easy, medium, hard, a comma list of them, or all.`);
  }
  return [...new Set(parts)] as Difficulty[];
}

// Tries per trace before concluding the problem space is exhausted.
const MAX_TRIES = 500;

/** Yields `count` traces lazily, so millions can be streamed to a file. */
export function* generateTraces(options: GenerateOptions): Generator<TraceRecord> {
  const { task, count, seed } = options;
  const difficulties = options.difficulties?.length ? options.difficulties : DIFFICULTIES;
  if (!Number.isInteger(count) || count < 0 || count > MAX_GENERATE_COUNT) {
    throw new UserError(`The count must be an integer from 0 to ${MAX_GENERATE_COUNT}, got ${count}.`);
  }
  if (!Number.isSafeInteger(seed)) throw new UserError(`The seed must be an integer, got ${seed}.`);
  parseTask(task);
  const rng = createRng(seed);
  const seen = new Set<string>();
  // "mixed" deals the tasks in shuffled rounds, so even a small sample covers every task.
  let round: TaskName[] = [];
  for (let n = 0; n < count; n++) {
    let name: TaskName;
    if (task === 'mixed') {
      if (!round.length) round = rng.shuffled(TASK_NAMES);
      name = round.shift()!;
    } else {
      name = task;
    }
    const generator = TASKS[name];
    for (let attempt = 0; ; attempt++) {
      const difficulty = difficulties.length === 1 ? difficulties[0] : rng.pick(difficulties);
      const problem = generator.generate(rng, difficulty);
      if (seen.has(problem.prompt)) {
        if (attempt >= MAX_TRIES) {
          throw new UserError(
            `Only ${n} distinct "${name}" problems could be made at difficulty ${difficulties.join('/')} (no new prompt in ${MAX_TRIES} tries). ` +
              'Ask for fewer traces (--count) or allow harder ones (--difficulty all).',
          );
        }
        continue;
      }
      seen.add(problem.prompt);
      yield {
        trace_version: GENERATED_TRACE_VERSION,
        prompt: problem.prompt,
        final_answer: problem.finalAnswer,
        steps: problem.steps.map((s, i) => ({ i, type: s.type, content: s.content })),
        meta: { source: 'generated', category: generator.category, task_type: name, difficulty, ...problem.meta, seed },
      };
      break;
    }
  }
}
