// The events a trainer prints on stdout, one JSON object per line (the protocol of
// dist/trainer.js; external trainers may print them too). Parsing is tolerant: a line that
// is not a JSON object with a known `event` is ordinary log output, never an error.

export interface StartedEvent {
  event: 'started';
  backend?: string;
  device?: string;
  versions?: Record<string, string>;
  total_steps?: number;
  resumed_from_step?: number;
  [key: string]: unknown;
}
export interface HeartbeatEvent {
  event: 'heartbeat';
  step?: number;
}
export interface ProgressEvent {
  event: 'progress';
  step: number;
  total_steps?: number;
  loss?: number;
  eta_seconds?: number;
}
export interface CheckpointEvent {
  event: 'checkpoint';
  step?: number;
  path?: string;
}
export interface EvalEvent {
  event: 'eval';
  step?: number;
  eval_loss?: number;
}
export interface CompletedEvent {
  event: 'completed';
  step?: number;
  [key: string]: unknown;
}
export interface ErrorEvent {
  event: 'error';
  message: string;
  kind?: string;
}
export type TrainerEvent = StartedEvent | HeartbeatEvent | ProgressEvent | CheckpointEvent | EvalEvent | CompletedEvent | ErrorEvent;

const KNOWN = new Set(['started', 'heartbeat', 'progress', 'checkpoint', 'eval', 'completed', 'error']);

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Parses one stdout line; undefined for anything that is not a protocol event. */
export function parseTrainerEvent(line: string): TrainerEvent | undefined {
  const text = line.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  // Accept `event` (the contract) and `type` (a common spelling in other trainers).
  const name = typeof o.event === 'string' ? o.event : typeof o.type === 'string' ? o.type : undefined;
  if (!name || !KNOWN.has(name)) return undefined;
  switch (name) {
    case 'progress': {
      const step = num(o.step);
      if (step === undefined) return undefined;
      return { event: 'progress', step, total_steps: num(o.total_steps), loss: num(o.loss), eta_seconds: num(o.eta_seconds) };
    }
    case 'heartbeat':
      return { event: 'heartbeat', step: num(o.step) };
    case 'checkpoint':
      return { event: 'checkpoint', step: num(o.step), path: typeof o.path === 'string' ? o.path : undefined };
    case 'eval':
      return { event: 'eval', step: num(o.step), eval_loss: num(o.eval_loss) };
    case 'error':
      return { event: 'error', message: typeof o.message === 'string' ? o.message : JSON.stringify(o), kind: typeof o.kind === 'string' ? o.kind : undefined };
    case 'started':
      return { ...o, event: 'started', total_steps: num(o.total_steps), resumed_from_step: num(o.resumed_from_step) } as StartedEvent;
    default:
      return { ...o, event: 'completed', step: num(o.step) } as CompletedEvent;
  }
}
