// Errors of the store a user can meet and act on. Both are UserErrors: callers show the
// message as is (CLI: stderr + exit 2; VS Code: an error message with the offered actions).
import { UserError } from '../errors';

export type CorruptPart = 'snapshot' | 'journal' | 'foreign';

/**
 * The database file (or its journal) cannot be read back safely. Nothing was changed on
 * disk: the files are exactly as they were found. `startFresh(path)` (./startFresh.ts)
 * renames them aside (`tunix.db.corrupt-<timestamp>`) so a new, empty database can be
 * created at the same path; `openStore(path, { salvageJournal: true })` keeps everything
 * up to a damaged journal record (for `part === 'journal'`).
 */
export class CorruptDatabaseError extends UserError {
  constructor(
    readonly databasePath: string,
    readonly part: CorruptPart,
    readonly detail: string,
  ) {
    super(corruptMessage(databasePath, part, detail), 2);
    this.name = 'UserError';
  }
  /** Lets callers tell this error apart from other UserErrors (the name stays 'UserError'). */
  readonly corruptDatabase = true;
}

export function isCorruptDatabaseError(err: unknown): err is CorruptDatabaseError {
  return err instanceof Error && (err as Partial<CorruptDatabaseError>).corruptDatabase === true;
}

function corruptMessage(dbPath: string, part: CorruptPart, detail: string): string {
  const what =
    part === 'snapshot'
      ? `The database file ${dbPath} is damaged or not a database`
      : part === 'journal'
        ? `The change journal of ${dbPath} (${dbPath}.journal) is damaged`
        : `${dbPath} is an SQLite database, but not a Tunix RT one`;
  const salvage = part === 'journal' ? ' To keep everything before the damaged record instead, open it with salvage (CLI: --salvage-journal).' : '';
  return (
    `${what}: ${detail}. The file was left untouched. ` +
    `To keep it and start a new, empty database at the same path, move it aside (CLI: --start-fresh renames it to ${dbPath}.corrupt-<timestamp>).` +
    salvage
  );
}

/** Another process holds the write lock for longer than we were willing to wait. */
export class DatabaseLockedError extends UserError {
  constructor(
    readonly databasePath: string,
    readonly holder: LockHolder | undefined,
    waitedMs: number,
  ) {
    super(lockedMessage(databasePath, holder, waitedMs), 2);
    this.name = 'UserError';
  }
  readonly databaseLocked = true;
}

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  time: string;
  /** What the holder is doing (e.g. "import traces.jsonl"). */
  purpose?: string;
}

function lockedMessage(dbPath: string, holder: LockHolder | undefined, waitedMs: number): string {
  const who = holder
    ? `process ${holder.pid} on ${holder.host}${holder.purpose ? ` (${holder.purpose})` : ''}, since ${holder.time}`
    : 'another process';
  return (
    `The database ${dbPath} is being written by ${who}; waited ${(waitedMs / 1000).toFixed(1)} s for it to finish. ` +
    `Try again when it is done. If that process no longer exists, delete ${dbPath}.lock.`
  );
}
