// Follows a growing text file line by line: the run's stdout log (trainer events) and
// metrics.jsonl, written by another process that may outlive this one. Polling (not
// fs.watch) because it behaves the same on every platform and on network folders, and
// because a re-attached engine must find the file by path, not by an open handle.
import * as fs from 'node:fs';

const CHUNK = 1 << 20;
/** Bytes read per slice by FileTail (a 300 MB metrics file arrives in 8 MB batches). */
const SLICE = 8 << 20;
const NEWLINE = 0x0a;

export interface TailOptions {
  /** Byte offset to start from (0 = the whole file). */
  fromOffset?: number;
  intervalMs?: number;
}

/**
 * Reads complete lines after `offset`. A trailing line without its newline is left for the
 * next read (the writer may be in the middle of it). Works in byte offsets; splitting on the
 * newline byte is safe in UTF-8.
 */
export async function readNewLines(path: string, offset: number, maxBytes = Infinity): Promise<{ lines: string[]; offset: number; truncated: boolean; more: boolean }> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], offset, truncated: false, more: false };
    throw err;
  }
  try {
    const { size } = await handle.stat();
    // A file shorter than where we were was replaced or truncated: start again from its top.
    const truncated = size < offset;
    let pos = truncated ? 0 : offset;
    const lines: string[] = [];
    let carry: Buffer | undefined;
    const buf = Buffer.allocUnsafe(CHUNK);
    let consumed = pos;
    const start0 = pos;
    // Stop after maxBytes, at a line end (a huge file is read in slices, between which the
    // caller's event loop breathes); a line longer than maxBytes is still read whole.
    while (pos < size && (pos - start0 < maxBytes || lines.length === 0)) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK, size - pos), pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      let chunk = buf.subarray(0, bytesRead);
      if (carry) chunk = Buffer.concat([carry, chunk]);
      let start = 0;
      for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, start)) {
        let end = i;
        if (end > start && chunk[end - 1] === 0x0d) end--; // CRLF from Windows trainers
        lines.push(chunk.toString('utf8', start, end));
        start = i + 1;
      }
      consumed = pos - (chunk.length - start);
      carry = start < chunk.length ? Buffer.from(chunk.subarray(start)) : undefined;
    }
    return { lines, offset: consumed, truncated, more: pos < size };
  } finally {
    await handle.close();
  }
}

/** Calls `onLines` with every new complete line of `path`, polling until stopped. */
export class FileTail {
  private offsetBytes: number;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<number> | undefined;

  constructor(
    readonly path: string,
    private readonly onLines: (lines: string[], info: { truncated: boolean }) => void,
    private readonly options: TailOptions = {},
  ) {
    this.offsetBytes = options.fromOffset ?? 0;
  }

  get offset(): number {
    return this.offsetBytes;
  }

  /** Reads whatever is new now, in slices of at most SLICE bytes; resolves to the number of lines delivered. */
  poll(): Promise<number> {
    // Never two reads at once: they would deliver the same lines twice.
    if (this.reading) return this.reading.then(() => this.poll());
    this.reading = (async () => {
      try {
        let total = 0;
        for (;;) {
          const r = await readNewLines(this.path, this.offsetBytes, SLICE);
          this.offsetBytes = r.offset;
          if (r.lines.length || r.truncated) this.onLines(r.lines, { truncated: r.truncated });
          total += r.lines.length;
          if (!r.more || r.lines.length === 0) return total;
          await new Promise((res) => setImmediate(res));
        }
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  start(): this {
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll().catch(() => undefined), this.options.intervalMs ?? 250);
      this.timer.unref?.();
    }
    return this;
  }

  /** Stops polling after one last read, so lines written just before the end are not lost. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.poll().catch(() => undefined);
  }
}

/** The last `count` lines of a text file (reads only its tail). */
export function lastLines(path: string, count: number, maxBytes = 64 * 1024): string[] {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return [];
  }
  try {
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, maxBytes);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split(/\r?\n/);
    if (len < size) lines.shift(); // the first line is probably cut
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-count);
  } finally {
    fs.closeSync(fd);
  }
}
