// What the evaluation layer needs to know about a training run: its label, dataset and
// "recipe / model" for the leaderboard, its predictions file and its final training metrics.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { readRunMetrics } from '../run/metricsSource';
import { runFiles } from '../run/runFolder';
import type { RunRecord } from '../run/types';

/** "sft_transformer 2L·64d·4h" for built-in recipes, the program for external trainers. */
export function modelLabel(run: Pick<RunRecord, 'recipe' | 'config' | 'command'>): string {
  if (run.recipe === 'external') {
    const argv = run.command ?? [];
    const program = argv[0] ? path.basename(argv[0]) : 'external';
    const script = argv.slice(1).find((a) => /\.(py|js|mjs|sh)$/.test(a));
    return script ? `${program} ${path.basename(script)}` : program;
  }
  const m = run.config?.model;
  return m && typeof m.layers === 'number' ? `${run.recipe} ${m.layers}L·${m.d_model}d·${m.heads}h` : run.recipe;
}

/** The run's predictions.jsonl, or a UserError that says how to get one. */
export function runPredictionsPath(run: Pick<RunRecord, 'id' | 'runDir' | 'status'>): string {
  const file = runFiles(run.runDir).predictions;
  if (!fs.existsSync(file)) {
    const why = run.status === 'completed' ? 'the trainer did not write one' : `the run is ${run.status}`;
    throw new UserError(
      `Run ${run.id} has no predictions file (${file}): ${why}. The built-in trainer writes it after training (generation on the test split); an external trainer must write {"id", "prediction"} lines there, or pass --predictions FILE --items FILE.`,
    );
  }
  return file;
}

/** The last value of each training metric the run logged (loss, eval_loss, ...). */
export async function finalTrainingMetrics(runDir: string): Promise<Record<string, number>> {
  const { points } = await readRunMetrics(runDir);
  const last: Record<string, number> = {};
  for (const p of points) for (const [k, v] of Object.entries(p.values)) if (Number.isFinite(v)) last[k] = v;
  return last;
}
