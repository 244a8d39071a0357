// Reads a JSONL file as lines without ever holding the whole file: chunks of a few MiB,
// cut after the last LF byte (an LF never occurs inside a multi-byte UTF-8 character).
// Line numbers follow VS Code's (LF, CRLF and a lone CR each end a line), so a reported
// line number is the one the editor shows and the diagnostics use. A line longer than the
// buffer grows it: lines of tens of MB are fine, they just have to fit in memory once.
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { UserError } from '../errors';
import { lineChunks } from '../io/lineChunks';

export interface TextLine {
  /** 1-based line number. */
  line: number;
  /** The line without its line break; undefined when its bytes are not UTF-8 (see `bytes`). */
  text?: string;
  bytes?: Buffer;
}

export interface LineReaderOptions {
  chunkBytes?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the bytes read so far. */
  onBytes?: (bytesRead: number) => void;
}

const LINE_BREAK = /\r\n|\r|\n/;

/** Yields the lines of `file` in groups (one group per chunk read). */
export async function* readLines(file: string, options: LineReaderOptions = {}): AsyncGenerator<TextLine[]> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(e.code === 'ENOENT' ? `File not found: ${file}` : `Cannot read ${file}: ${e.message}`);
  }
  try {
    let line = 0;
    for await (const chunk of lineChunks(handle, options.chunkBytes ?? 4 * 1024 * 1024)) {
      if (options.signal?.aborted) return;
      const bytes = chunk.bytes;
      if (bytes.length) {
        const out: TextLine[] = [];
        const push = (segment: Buffer) => {
          if (isUtf8(segment)) {
            const parts = segment.toString('utf8').split(LINE_BREAK);
            // A segment that ends with a line break yields a trailing '' that is not a line.
            const ended = segment.length > 0 && (segment[segment.length - 1] === 0x0a || segment[segment.length - 1] === 0x0d);
            if (ended) parts.pop();
            for (const text of parts) out.push({ line: ++line, text });
          } else {
            const end = segment.length && segment[segment.length - 1] === 0x0a ? segment.length - 1 : segment.length;
            const body = end && segment[end - 1] === 0x0d ? segment.subarray(0, end - 1) : segment.subarray(0, end);
            out.push({ line: ++line, bytes: Buffer.from(body) });
          }
        };
        if (isUtf8(bytes)) push(bytes);
        else {
          // Some line is not UTF-8: go LF by LF so only the bad lines are reported.
          let from = 0;
          while (from < bytes.length) {
            let lf = bytes.indexOf(0x0a, from);
            lf = lf === -1 ? bytes.length : lf + 1;
            push(bytes.subarray(from, lf));
            from = lf;
          }
        }
        if (out.length) yield out;
      }
      options.onBytes?.(chunk.position);
    }
  } finally {
    await handle.close();
  }
}
