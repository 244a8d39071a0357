// The snapshot: the database file itself (`tunix.db`), a valid SQLite file written by
// sql.js's export(). It is only ever replaced whole: written to a temporary file, fsynced,
// renamed over the old one, and the folder fsynced, so a reader sees the old or the new
// file and never a half-written one. A sidecar `tunix.db.sum` keeps the size and CRC-32 of
// the last two snapshots written (written before the rename), so damage done to the file
// later (a bad copy, a truncation, a stray write) is detected on open instead of surfacing
// as wrong query results.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from './crc32';
import { CorruptDatabaseError } from './errors';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface SnapshotSum {
  size: number;
  crc32: number;
  /** The last journal sequence number the snapshot contains. */
  seq: number;
}

export function sumPath(dbPath: string): string {
  return dbPath + '.sum';
}

/** Reads the snapshot file and checks that it is a whole SQLite file; throws CorruptDatabaseError otherwise. */
export function readSnapshot(dbPath: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(dbPath);
  } catch (err) {
    throw new CorruptDatabaseError(dbPath, 'snapshot', `it cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  checkSqliteHeader(dbPath, bytes);
  checkSum(dbPath, bytes);
  return bytes;
}

function checkSqliteHeader(dbPath: string, bytes: Buffer): void {
  if (bytes.length < 100 || !bytes.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new CorruptDatabaseError(dbPath, 'snapshot', bytes.length === 0 ? 'the file is empty' : 'it does not start with the SQLite header');
  }
  const rawPageSize = bytes.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new CorruptDatabaseError(dbPath, 'snapshot', `its header gives an invalid page size (${rawPageSize})`);
  }
  const changeCounter = bytes.readUInt32BE(24);
  const pageCount = bytes.readUInt32BE(28);
  const validFor = bytes.readUInt32BE(92);
  if (pageCount > 0 && validFor === changeCounter && bytes.length < pageCount * pageSize) {
    throw new CorruptDatabaseError(dbPath, 'snapshot', `it is truncated: ${bytes.length} bytes, its header says ${pageCount * pageSize}`);
  }
  if (bytes.length % pageSize !== 0) {
    throw new CorruptDatabaseError(dbPath, 'snapshot', `its size (${bytes.length} bytes) is not a whole number of ${pageSize}-byte pages`);
  }
}

export function readSums(dbPath: string): SnapshotSum[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(sumPath(dbPath), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { snapshots?: SnapshotSum[] };
    return Array.isArray(parsed.snapshots) ? parsed.snapshots.filter((s) => Number.isInteger(s.size) && Number.isInteger(s.crc32)) : undefined;
  } catch {
    return undefined;
  }
}

function checkSum(dbPath: string, bytes: Buffer): void {
  const sums = readSums(dbPath);
  if (!sums || sums.length === 0) return; // a copied file without its sidecar: header checks only
  const bySize = sums.filter((s) => s.size === bytes.length);
  const crc = bySize.length ? crc32(bytes) : -1;
  if (!bySize.some((s) => s.crc32 === crc)) {
    throw new CorruptDatabaseError(
      dbPath,
      'snapshot',
      `its content does not match the checksum recorded when it was written (${path.basename(sumPath(dbPath))}; ` +
        `expected ${sums.map((s) => `${s.size} bytes`).join(' or ')}, found ${bytes.length} bytes). ` +
        `If you replaced the file yourself with a good copy, delete ${path.basename(sumPath(dbPath))} and ${path.basename(dbPath)}.journal`,
    );
  }
}

function writeDurably(file: string, data: Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    let written = 0;
    while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open or fsync a folder; its rename is already durable enough there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Replaces the snapshot with `bytes` atomically: temp file + fsync, sidecar sum (keeping the
 * previous entry, so a crash before the rename still validates the old file), rename, folder fsync.
 */
export function writeSnapshot(dbPath: string, bytes: Uint8Array, seq: number): void {
  const dir = path.dirname(dbPath);
  const tag = `${process.pid}-${Date.now()}`;
  const tmp = `${dbPath}.tmp-${tag}`;
  try {
    writeDurably(tmp, bytes);
    const entry: SnapshotSum = { size: bytes.length, crc32: crc32(bytes), seq };
    const previous = (readSums(dbPath) ?? []).slice(-1);
    const sumTmp = `${sumPath(dbPath)}.tmp-${tag}`;
    writeDurably(sumTmp, Buffer.from(JSON.stringify({ format: 1, snapshots: [...previous, entry] }) + '\n'));
    fs.renameSync(sumTmp, sumPath(dbPath));
    fs.renameSync(tmp, dbPath);
    fsyncDir(dir);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Removes temp files left by a writer that was killed during a snapshot (only ones older than a minute). */
export function removeStaleTemps(dbPath: string): void {
  const dir = path.dirname(dbPath);
  const prefixes = [path.basename(dbPath) + '.tmp-', path.basename(sumPath(dbPath)) + '.tmp-'];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!prefixes.some((p) => name.startsWith(p))) continue;
    const file = path.join(dir, name);
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > 60_000) fs.rmSync(file, { force: true });
    } catch {
      /* another process removed it */
    }
  }
}
