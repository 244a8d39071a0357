/**
 * Streams lines into a file without ever leaving a half-written one behind: the lines go to
 * a temporary file beside the target, which is fsynced and renamed over it only when every
 * line is written. Cancelling (or any error) removes the temporary file and leaves an
 * existing target untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';

export interface WriteProgress {
  lines: number;
  bytes: number;
}

export interface WriteLinesOptions {
  signal?: AbortSignal;
  /** Called every `progressEvery` lines and at the end. */
  onProgress?: (p: WriteProgress) => void;
  progressEvery?: number;
}

const CHUNK_BYTES = 1 << 20;

export class CancelledError extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'CancelledError';
  }
}

/** Writes each string of `lines` (newline included) to `file`, atomically. */
export async function writeLinesAtomically(file: string, lines: Iterable<string> | AsyncIterable<string>, options: WriteLinesOptions = {}): Promise<WriteProgress> {
  const dir = path.dirname(path.resolve(file));
  try {
    await fs.promises.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`Cannot create the folder ${dir} for ${file}: ${(err as Error).message}.`);
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UserError(`${file} is a folder; give a file name to write to.`);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(tmp, 'w');
  } catch (err) {
    throw new UserError(`Cannot write ${file}: ${(err as Error).message}.`);
  }
  const progress: WriteProgress = { lines: 0, bytes: 0 };
  const every = options.progressEvery ?? 1000;
  let buffer: string[] = [];
  let buffered = 0;
  const flush = async () => {
    if (!buffered) return;
    const chunk = Buffer.from(buffer.join(''), 'utf8');
    buffer = [];
    buffered = 0;
    await handle.write(chunk);
    progress.bytes += chunk.length;
  };
  try {
    for await (const line of lines as AsyncIterable<string>) {
      if (options.signal?.aborted) throw new CancelledError();
      buffer.push(line);
      buffered += line.length;
      progress.lines++;
      if (buffered >= CHUNK_BYTES) await flush();
      if (options.onProgress && progress.lines % every === 0) options.onProgress({ ...progress, bytes: progress.bytes + buffered });
    }
    await flush();
    await handle.sync();
    await handle.close();
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    if (err instanceof CancelledError || err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new UserError(`Cannot write ${file}: ${(err as Error).message}.`);
    throw err;
  }
  options.onProgress?.(progress);
  return progress;
}
