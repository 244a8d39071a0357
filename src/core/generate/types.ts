// The shape every synthetic task generator shares.
import type { Rng } from './prng';

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const TASK_NAMES = ['addition', 'subtraction', 'multiplication', 'reverse', 'count_letters', 'compare', 'unit_convert', 'high_card'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export interface GeneratedStep {
  /** Step type, e.g. "column", "partial", "result". */
  type: string;
  content: string;
}

/** One generated problem before it becomes a trace record. */
export interface GeneratedProblem {
  prompt: string;
  steps: GeneratedStep[];
  finalAnswer: string;
  /** Extra meta keys that describe the problem (never the answer). */
  meta?: Record<string, string | number>;
}

export interface TaskGenerator {
  name: TaskName;
  /** The meta `category` of its traces (the stats view groups by it). */
  category: string;
  /** One line for --help and the VS Code quick pick. */
  summary: string;
  generate(rng: Rng, difficulty: Difficulty): GeneratedProblem;
}
