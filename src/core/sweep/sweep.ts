// Hyperparameter sweeps: a grid of settings (every combination of the values given per key)
// becomes one training run per combination, and the finished runs are ranked by an objective
// (the score of their answers on the test split, or a final loss). Pure: the CLI launches the
// runs through the run engine and evaluates them; this file decides what to run and who won.
import { UserError } from '../errors';
import { applyOverrides } from '../run/trainerConfig';
import type { TunableConfig } from '../run/trainerConfig';

/** One axis of the grid: a setting key and the values to try. */
export interface GridAxis {
  key: string;
  values: string[];
}

/** One run of the sweep: its settings (key=value) and a short label ("lr=0.003 layers=2"). */
export interface SweepPoint {
  overrides: string[];
  params: Record<string, string>;
  label: string;
}

/** More runs than this is almost always a typo in a grid; split the sweep instead. */
export const MAX_SWEEP_RUNS = 64;

/** Parses `--grid key=v1,v2,...` flags; a key given twice is refused (say all values at once). */
export function parseGrid(flags: readonly string[]): GridAxis[] {
  const axes: GridAxis[] = [];
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UserError(`--grid "${flag}" is not KEY=V1,V2,... (for example --grid learning_rate=0.001,0.003).`);
    const key = flag.slice(0, eq).trim();
    const values = flag
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (!values.length) throw new UserError(`--grid ${key} has no values; list them after "=", separated by commas.`);
    if (new Set(values).size !== values.length) throw new UserError(`--grid ${key} lists a value twice (${values.join(', ')}).`);
    if (axes.some((a) => a.key === key)) throw new UserError(`--grid ${key} is given twice; list all its values in one flag.`);
    axes.push({ key, values });
  }
  if (!axes.length) throw new UserError('A sweep needs at least one --grid KEY=V1,V2,... (the settings to vary).');
  return axes;
}

/** The last part of a dotted key: "training.learning_rate" -> "learning_rate". */
const shortKey = (key: string) => key.slice(key.lastIndexOf('.') + 1);

/**
 * Every combination of the axes, in order (the last axis varies fastest). Each combination is
 * checked against the recipe's settings with `fixed` applied first, so a bad key or value is
 * refused before any run starts.
 */
export function expandGrid(axes: readonly GridAxis[], base: TunableConfig, fixed: readonly string[] = []): SweepPoint[] {
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  if (total > MAX_SWEEP_RUNS) throw new UserError(`The grid makes ${total} runs; at most ${MAX_SWEEP_RUNS} per sweep. Use fewer values, or split it into several sweeps.`);
  let combos: Array<Array<[string, string]>> = [[]];
  for (const a of axes) combos = combos.flatMap((c) => a.values.map((v) => [...c, [a.key, v] as [string, string]]));
  return combos.map((combo) => {
    const overrides = [...fixed, ...combo.map(([k, v]) => `${k}=${v}`)];
    applyOverrides(base, overrides); // throws a UserError naming the bad setting
    return { overrides, params: Object.fromEntries(combo), label: combo.map(([k, v]) => `${shortKey(k)}=${v}`).join(' ') };
  });
}

export type SweepObjective = 'score' | 'eval_loss' | 'loss';
export const SWEEP_OBJECTIVES: readonly SweepObjective[] = ['score', 'eval_loss', 'loss'];

/** Higher is better for a score, lower for a loss. */
export function higherIsBetter(objective: SweepObjective): boolean {
  return objective === 'score';
}

export interface SweepResult {
  runId: string;
  label: string;
  params: Record<string, string>;
  status: string;
  /** The objective's value; null when the run did not complete or has no such figure. */
  value: number | null;
}

/**
 * Ranks results by the objective, best first; runs without a value come last in their order.
 * Equal values keep the grid's order, so a re-run of the same sweep ranks alike.
 */
export function rankResults(results: readonly SweepResult[], objective: SweepObjective): SweepResult[] {
  const sign = higherIsBetter(objective) ? -1 : 1;
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const va = a.r.value;
      const vb = b.r.value;
      if (va === null || vb === null) return va === null && vb === null ? a.i - b.i : va === null ? 1 : -1;
      return sign * (va - vb) || a.i - b.i;
    })
    .map(({ r }) => r);
}
