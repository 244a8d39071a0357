// The run status machine. Every status change goes through `transition`, so an impossible
// change (completing a cancelled run, resuming a completed one) is a clear error, not a
// silently wrong record.
import { UserError } from '../errors';
import type { RunStatus } from './types';

const ALLOWED: Record<RunStatus, readonly RunStatus[]> = {
  // A queued run starts, is cancelled before it starts, or fails while preparing (dataset export).
  queued: ['running', 'cancelled', 'failed'],
  running: ['completed', 'failed', 'cancelled', 'interrupted'],
  completed: [],
  // Failed, cancelled and interrupted runs can be resumed from their latest checkpoint.
  failed: ['queued'],
  cancelled: ['queued'],
  interrupted: ['queued'],
};

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** Returns `to`, or throws naming the run, both statuses and what is possible instead. */
export function transition(runId: string, from: RunStatus, to: RunStatus): RunStatus {
  if (from === to) return to;
  if (canTransition(from, to)) return to;
  const options = ALLOWED[from];
  throw new UserError(
    `Run ${runId} is ${from}; it cannot become ${to}.` + (options.length ? ` From ${from} it can become: ${options.join(', ')}.` : ' It is final.'),
  );
}

export function canResume(status: RunStatus): boolean {
  return status === 'failed' || status === 'cancelled' || status === 'interrupted';
}

export function canCancel(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}
