// The trainer's failures, each with the `kind` of its error event and its exit code:
// problems a user fixes in the config, the data or the machine exit 2 (the run could not
// start); failures during training exit 1.
import { TRAINER_EXIT, type TrainerErrorKind } from './protocol';

export class TrainerError extends Error {
  constructor(
    readonly kind: TrainerErrorKind,
    message: string,
    readonly exitCode: number = kind === 'config' || kind === 'data' ? TRAINER_EXIT.badInput : TRAINER_EXIT.failed,
  ) {
    super(message);
    this.name = 'TrainerError';
  }
}

export const configError = (message: string) => new TrainerError('config', message);
export const dataError = (message: string) => new TrainerError('data', message);
/** A backend the config asks for is not usable here: the run cannot start (exit 2). */
export const backendUnavailable = (message: string) => new TrainerError('backend', message, TRAINER_EXIT.badInput);

/** Classifies an unexpected error: memory exhaustion reads differently per backend. */
export function classifyError(err: unknown): TrainerError {
  if (err instanceof TrainerError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/out of memory|\bOOM\b|allocation failed|Cannot allocate|memory access out of bounds|Array buffer allocation|Invalid typed array length|Maximum memory size exceeded|Memory\.grow/i.test(message)) {
    return new TrainerError('oom', `Out of memory: ${message}. Lower training.batch_size or model.context_length, or use a smaller model.`);
  }
  return new TrainerError('internal', message);
}
