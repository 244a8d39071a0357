// The store's public contract: how it is opened, what query and write callbacks receive,
// and what it reports. Query functions across core (traces, runs, eval, registry) depend on
// these types only, so the benchmark's native SQLite peer can stand in for the store.
import type { Row, SqlParams } from './types';

export interface OpenOptions {
  /** Create the folder and an empty database when missing (default true). */
  create?: boolean;
  /** How long a write waits for another process's write to finish (default 15 s). */
  lockTimeoutMs?: number;
  /** Shown to other processes that have to wait for our writes (e.g. "VS Code window"). */
  purpose?: string;
  /** Compact when the journal exceeds max(compactMinBytes, compactRatio x snapshot size). Defaults 16 MiB and 1. */
  compactMinBytes?: number;
  compactRatio?: number;
  /** Compact on close when the journal holds anything (default true). */
  compactOnClose?: boolean;
  /**
   * When a journal record in the middle of the journal is damaged, keep everything before
   * it, move the journal aside (`.journal.damaged-<time>`) and continue, instead of
   * throwing CorruptDatabaseError (default false).
   */
  salvageJournal?: boolean;
}

export interface RunResult {
  /** Rows changed by the statement (not counting triggers). */
  changes: number;
}

/** Queries available everywhere. */
export interface Reader {
  /**
   * The database file these queries read. Files that belong to records (run folders, dataset
   * manifests, model versions) live beside it and are derived from it, never read from rows.
   */
  readonly databasePath: string;
  all<T extends object = Row>(sql: string, params?: SqlParams): T[];
  get<T extends object = Row>(sql: string, params?: SqlParams): T | undefined;
  /** Calls `fn` for each row without building an array; return false to stop early. */
  each<T extends object = Row>(sql: string, params: SqlParams | undefined, fn: (row: T) => boolean | void): void;
}

/** Queries and changes, inside a write transaction. Everything it changes is journaled. */
export interface Writer extends Reader {
  run(sql: string, params?: SqlParams): RunResult;
  /** Several statements without parameters (DDL). */
  exec(sql: string): void;
}

/** What the query functions need: a Store, or anything that runs read callbacks the same way (the benchmark's native peer). */
export interface Readable {
  read<T>(fn: (q: Reader) => T): T;
}

/** What writers need: a Store, or the benchmark's native peer. */
export interface Writable {
  write<T>(fn: (tx: Writer) => T, options?: { purpose?: string }): Promise<T>;
}

export interface StoreChange {
  /** 'local': a write of this Store; 'external': caught up with another process; 'reload': the snapshot was replaced by another process. */
  origin: 'local' | 'external' | 'reload';
  /** Journal sequence number now applied. */
  seq: number;
}

export interface StoreInfo {
  path: string;
  journalPath: string;
  /** Last journal sequence number applied. */
  seq: number;
  snapshotBytes: number;
  journalBytes: number;
  /** Set when open found a torn journal tail (a write interrupted by a crash, never committed); it is truncated at the next write. */
  tornTail?: { offset: number; bytes: number; reason: string };
  /** Set when the store was opened with salvageJournal and records after a damaged one were set aside. */
  salvaged?: { movedTo: string; keptThroughSeq: number };
}
