// run_manifest.json: tunix-rt's fields first (run_id, created_at, dataset, training_config,
// model_config, recipe, backend, seed, artifacts_path), then the environment the trainer
// reported and how the run ended. Rewritten whole whenever one of those changes.
import { runFiles, writeJsonAtomic } from './runFolder';
import type { RunEnvironment, RunOutcome, RunRecord, RunStatus } from './types';

export interface RunManifest {
  run_id: string;
  created_at: string;
  dataset: string;
  training_config: Record<string, unknown>;
  model_config: Record<string, unknown>;
  recipe: string;
  backend: string;
  seed: number;
  artifacts_path: string;
  environment: RunEnvironment | null;
  /** External trainers: the argument array as configured (placeholders unexpanded). */
  command?: string[];
  status: RunStatus;
  attempts: number;
  started_at: string | null;
  ended_at: string | null;
  outcome: Omit<RunOutcome, 'lastLogLines'> | null;
  tunix_rt_version: string;
}

export function manifestFor(r: RunRecord, version: string): RunManifest {
  const { lastLogLines: _omit, ...outcome } = r.outcome ?? ({} as RunOutcome);
  return {
    run_id: r.id,
    created_at: r.createdAt,
    dataset: r.datasetKey,
    training_config: { ...r.config.training, seed: r.config.seed, ...(r.config.generation ? { generation: r.config.generation } : {}) },
    model_config: { ...r.config.model },
    recipe: r.recipe,
    backend: r.environment?.backend ?? r.backend,
    seed: r.seed,
    artifacts_path: r.runDir,
    environment: r.environment ?? null,
    ...(r.command ? { command: r.command } : {}),
    status: r.status,
    attempts: r.attempts,
    started_at: r.startedAt ?? null,
    ended_at: r.endedAt ?? null,
    outcome: r.outcome ? outcome : null,
    tunix_rt_version: version,
  };
}

export function writeManifest(r: RunRecord, version: string): void {
  writeJsonAtomic(runFiles(r.runDir).manifest, manifestFor(r, version));
}
