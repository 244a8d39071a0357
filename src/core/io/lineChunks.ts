// The one chunked reader behind every streaming JSONL reader (import, validation, the
// validator benchmark's peer): reads a file a few MiB at a time and yields each chunk cut after
// its last LF byte, so no line is split across chunks (an LF never occurs inside a multi-byte
// UTF-8 character). A line longer than the buffer grows it: lines of tens of MB are fine, they
// just have to fit in memory once. A UTF-8 BOM at the start of the file is skipped.
import type * as fs from 'node:fs';

export interface LineChunk {
  /** Whole lines (the last one without LF only when `final`). Valid until the next chunk is read. */
  bytes: Buffer;
  /** True for the last chunk of the file (it may be empty). */
  final: boolean;
  /** Bytes of the file read so far. */
  position: number;
}

export async function* lineChunks(handle: fs.promises.FileHandle, chunkBytes: number): AsyncGenerator<LineChunk> {
  let buf = Buffer.allocUnsafe(chunkBytes);
  let carry = 0; // bytes of an unfinished line at the start of buf
  let position = 0;
  let first = true;
  for (;;) {
    if (carry === buf.length) {
      // One line longer than the buffer: grow it.
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, carry);
      buf = bigger;
    }
    const { bytesRead } = await handle.read(buf, carry, buf.length - carry, position);
    position += bytesRead;
    const filled = carry + bytesRead;
    const final = bytesRead === 0;
    let start = 0;
    if (first && filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    first = false;
    const cut = Math.max(start, final ? filled : buf.lastIndexOf(0x0a, filled - 1) + 1);
    yield { bytes: buf.subarray(start, cut), final, position };
    if (final) return;
    carry = filled - cut;
    buf.copy(buf, 0, cut, filled);
  }
}
