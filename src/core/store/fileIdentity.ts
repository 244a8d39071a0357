// Whether a file is still the one we loaded: device, inode, size and modification time.
// Another process's compaction replaces the snapshot file (a rename), which this notices
// with one stat instead of reading the file.
import * as fs from 'node:fs';

export interface FileId {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export function fileId(p: string): FileId | undefined {
  try {
    const s = fs.statSync(p);
    return { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

export function sameFile(a: FileId | undefined, b: FileId | undefined): boolean {
  return !!a && !!b && a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}
