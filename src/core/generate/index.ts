// Synthetic reasoning-trace generators: sample data for the demo, the tests and the trainer.
export { createRng, type Rng } from './prng';
export { generateTraces, parseTask, parseDifficulties, TASK_CHOICES, MAX_GENERATE_COUNT, GENERATED_TRACE_VERSION, type GenerateOptions, type TaskChoice } from './generate';
export { TASKS } from './tasks';
export { DIFFICULTIES, TASK_NAMES, type Difficulty, type TaskName, type TaskGenerator } from './types';
