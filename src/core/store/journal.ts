// The append-only journal of committed write transactions, beside the snapshot
// (`tunix.db.journal`). One frame per transaction:
//
//   magic "TJ01" (4) | crc32 (4, LE) | payload length (4, LE) | sequence (8, LE) | payload
//
// The CRC covers length, sequence and payload. Frames are written with one positional write
// and fdatasync'ed before the transaction's commit returns, so after a kill -9 the file ends
// with complete frames, possibly followed by one torn (incomplete) frame, which readers
// ignore and the next writer truncates.
import * as fs from 'node:fs';
import { crc32 } from './crc32';

export const FRAME_MAGIC = Buffer.from('TJ01', 'latin1');
export const FRAME_HEADER_BYTES = 20;
/** A frame longer than this is treated as damage, not as a record (a batch is far smaller). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024 * 1024;

export interface Frame {
  seq: number;
  payload: Buffer;
  /** Byte offset of the frame's first byte. */
  start: number;
  /** Byte offset just past the frame. */
  end: number;
}

export function encodeFrame(seq: number, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  FRAME_MAGIC.copy(frame, 0);
  frame.writeUInt32LE(payload.length, 8);
  frame.writeBigUInt64LE(BigInt(seq), 12);
  payload.copy(frame, FRAME_HEADER_BYTES);
  frame.writeUInt32LE(crc32(frame.subarray(8)), 4);
  return frame;
}

export type ReadStop =
  /** Clean end of file. */
  | { kind: 'end' }
  /** Bytes follow that are not a complete, valid frame (torn write or damage). */
  | { kind: 'invalid'; offset: number; reason: string };

function readExactly(fd: number, length: number, position: number): Buffer | undefined {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) return undefined;
    got += n;
  }
  return buf;
}

/** Decodes the frame at `pos`, or says why there is no valid frame there. */
export function readFrameAt(fd: number, pos: number, size: number): Frame | { kind: 'invalid'; offset: number; reason: string } {
  const invalid = (reason: string) => ({ kind: 'invalid' as const, offset: pos, reason });
  if (size - pos < FRAME_HEADER_BYTES) return invalid(`${size - pos} stray bytes at the end`);
  const header = readExactly(fd, FRAME_HEADER_BYTES, pos);
  if (!header) return invalid('the file ended inside a frame header');
  if (!header.subarray(0, 4).equals(FRAME_MAGIC)) return invalid('no frame marker');
  const length = header.readUInt32LE(8);
  if (length > MAX_PAYLOAD_BYTES) return invalid(`implausible frame length ${length}`);
  if (pos + FRAME_HEADER_BYTES + length > size) return invalid('the file ends inside the frame (torn write)');
  const payload = readExactly(fd, length, pos + FRAME_HEADER_BYTES);
  if (!payload) return invalid('the file ends inside the frame (torn write)');
  const crc = crc32(payload, crc32(header.subarray(8)));
  if (crc !== header.readUInt32LE(4)) return invalid('checksum mismatch');
  return { seq: Number(header.readBigUInt64LE(12)), payload, start: pos, end: pos + FRAME_HEADER_BYTES + length };
}

/**
 * Reads the frames from `offset` to the end of the file, calling `onFrame` for each valid
 * one, and stops at the first invalid or incomplete frame. Returns why it stopped.
 */
export function readFrames(fd: number, offset: number, onFrame: (frame: Frame) => void): ReadStop {
  const size = fs.fstatSync(fd).size;
  let pos = offset;
  while (pos < size) {
    const frame = readFrameAt(fd, pos, size);
    if ('kind' in frame) return frame;
    onFrame(frame);
    pos = frame.end;
  }
  return { kind: 'end' };
}

/**
 * Looks for a valid frame anywhere after `from` (used only after readFrames stopped at an
 * invalid one): finding one means the damage is in the middle of committed history, not a
 * torn tail. Returns the first such frame's sequence number and offset.
 */
export function findValidFrameAfter(fd: number, from: number): { seq: number; offset: number } | undefined {
  const size = fs.fstatSync(fd).size;
  const chunk = 1 << 20;
  for (let base = from + 1; base < size; base += chunk - 3) {
    const buf = readExactly(fd, Math.min(chunk, size - base), base);
    if (!buf) return undefined;
    let at = buf.indexOf(FRAME_MAGIC);
    while (at >= 0) {
      const frame = readFrameAt(fd, base + at, size);
      if (!('kind' in frame)) return { seq: frame.seq, offset: frame.start };
      at = buf.indexOf(FRAME_MAGIC, at + 1);
    }
  }
  return undefined;
}

/** Appends one frame at `offset` (the known end of valid data) and makes it durable. */
export function appendFrame(fd: number, offset: number, frame: Buffer): void {
  let written = 0;
  while (written < frame.length) written += fs.writeSync(fd, frame, written, frame.length - written, offset + written);
  fs.fdatasyncSync(fd);
}
