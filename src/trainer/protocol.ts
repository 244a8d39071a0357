// The trainer's side of the contract with the run engine. The shapes live in core
// (src/core/run/trainerConfig.ts, trainerEvents.ts, trainerProtocol.ts) so the engine can
// import them without depending on the trainer; this module gathers them for trainer code and
// adds the exact event shapes the trainer prints.
export * from '../core/run/trainerProtocol';
export type { TrainerConfig, TrainingSection, ModelSection } from '../core/run/trainerConfig';
import type { TrainerErrorKind } from '../core/run/trainerProtocol';

export type TrainerOutEvent =
  | { event: 'started'; backend: string; device: string; versions: Record<string, string>; total_steps: number; resumed_from_step?: number; recipe: string }
  | { event: 'heartbeat'; step: number }
  | { event: 'progress'; step: number; total_steps: number; loss: number; eta_seconds: number }
  | { event: 'checkpoint'; step: number; path: string }
  | { event: 'eval'; step: number; eval_loss: number; eval_accuracy?: number }
  | { event: 'completed'; step: number; predictions: string }
  | { event: 'error'; message: string; kind: TrainerErrorKind };

/** Environment variable that also allows a software WebGPU adapter (tests, CI). */
export const ALLOW_SOFTWARE_GPU_ENV = 'TUNIX_ALLOW_SOFTWARE_GPU';
