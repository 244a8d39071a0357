// Output of the trainer process: protocol events as JSON lines on stdout, human log lines on
// stderr. Both go through fs.writeSync with whole lines, so the heartbeat thread's lines never
// interleave with the main thread's mid-line (a pipe write under 4 KiB is atomic).
import * as fs from 'node:fs';
import { format } from 'node:util';
import type { TrainerOutEvent } from './protocol';

function writeLine(fd: number, text: string): void {
  const buf = Buffer.from(text.endsWith('\n') ? text : text + '\n');
  let offset = 0;
  let spins = 0;
  while (offset < buf.length) {
    try {
      offset += fs.writeSync(fd, buf, offset);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A non-blocking pipe that is full: wait a moment for the reader.
      if (code === 'EAGAIN' && spins++ < 10_000) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      // The reader is gone (EPIPE) or the stream is closed: training goes on; the files are the record.
      return;
    }
  }
}

export function emit(event: TrainerOutEvent): void {
  writeLine(1, JSON.stringify(event));
}

export function log(...parts: unknown[]): void {
  writeLine(2, `[trainer] ${format(...parts)}`);
}

/**
 * Libraries print to console.log (tfjs greets Node users there); stdout carries only protocol
 * events, so every console method writes to stderr instead.
 */
export function routeConsoleToStderr(): void {
  const toStderr = (...args: unknown[]) => writeLine(2, format(...args));
  console.log = toStderr;
  console.info = toStderr;
  console.warn = toStderr;
  console.debug = toStderr;
}
