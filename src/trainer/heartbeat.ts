// Heartbeats come from a worker thread, so they keep coming while the main thread is inside
// one long synchronous kernel (a wasm training step on a big batch, a long generation pass).
// They stop when the main thread has not reported progress for `stallMs`: a real hang then
// goes quiet and the run engine's hang detector ends the run.
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const view = new Float64Array(workerData.buffer);
const state = new Int32Array(workerData.flags);
function beat() {
  if (Atomics.load(state, 0) === 1) process.exit(0);
  const step = view[0];
  const lastTick = view[1];
  if (Date.now() - lastTick > workerData.stallMs) return;
  try { fs.writeSync(1, JSON.stringify({ event: 'heartbeat', step }) + '\\n'); } catch {}
}
beat();
setInterval(beat, workerData.periodMs);
`;

export class Heartbeat {
  private readonly values = new Float64Array(new SharedArrayBuffer(16));
  private readonly flags = new Int32Array(new SharedArrayBuffer(4));
  private worker: Worker | undefined;

  /** `intervalMs` is the promised maximum gap; beats go out at half of it to absorb jitter. */
  constructor(
    private readonly intervalMs: number,
    private readonly stallMs = Math.max(120_000, 30 * intervalMs),
  ) {}

  start(step: number): void {
    this.tick(step);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { buffer: this.values.buffer, flags: this.flags.buffer, periodMs: Math.max(50, Math.floor(this.intervalMs / 2)), stallMs: this.stallMs },
      stdout: false,
      stderr: false,
    });
    // The trainer's exit must not wait for this thread.
    this.worker.unref();
  }

  /** The main thread is alive and at `step`. Cheap: call it often. */
  tick(step: number): void {
    this.values[0] = step;
    this.values[1] = Date.now();
  }

  stop(): void {
    Atomics.store(this.flags, 0, 1);
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
