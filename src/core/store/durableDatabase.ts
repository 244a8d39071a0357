// The on-disk half of the store: the sql.js database in memory, loaded from the snapshot
// file and brought up to date from the journal, and kept so. It creates a new database,
// (re)loads the snapshot, replays journal frames (its own process's and other processes'),
// appends committed frames, compacts (a new snapshot, an empty journal) and salvages a
// damaged journal. It takes no lock: the Store calls the writing methods only while holding it.
//
// Invariants:
// - The snapshot holds every transaction up to `_store_meta.journal_seq`; the journal holds
//   frames with consecutive sequence numbers. Frames at or below the snapshot's sequence
//   (left by a crash between snapshot rename and journal truncation) are skipped.
// - A frame is fsynced before its transaction commits (see Store.transaction).
import * as fs from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import { UserError } from '../errors';
import { CorruptDatabaseError } from './errors';
import { fileId, sameFile, type FileId } from './fileIdentity';
import { appendFrame, findValidFrameAfter, readFrames, type ReadStop } from './journal';
import { MIGRATIONS_TABLE_SQL } from './migrations';
import { readSnapshot, removeStaleTemps, writeSnapshot } from './snapshot';
import { Statements } from './statements';
import type { StoreChange, StoreInfo } from './storeTypes';
import { decodePayload } from './txPayload';

/** The journal had a gap or a damaged record; `retry` says a reload may fix it (a concurrent compaction). */
class JournalMismatch extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

export class DurableDatabase {
  db!: Database;
  readonly sql: Statements;
  /** Last journal sequence number applied to `db`. */
  appliedSeq = 0;
  /** The journal sequence number the snapshot file holds. */
  snapshotSeq = 0;
  snapshotBytes = 0;
  /** Where the next frame goes (bytes of valid journal read or written so far). */
  journalOffset = 0;
  tornTail: StoreInfo['tornTail'];
  salvaged: StoreInfo['salvaged'];
  /** A damaged record found at open with salvage allowed: kept until salvage() cuts the journal there. */
  pendingSalvage: { at: number; seq: number; reason: string } | undefined;
  private journalFd = -1;
  private snapshotId: FileId | undefined;

  constructor(
    private readonly SQL: SqlJsStatic,
    readonly path: string,
    private readonly salvageAllowed: boolean,
    private readonly events: {
      /** A snapshot was (re)loaded: the schema may be another one now. */
      loaded(): void;
      /** A change from disk was applied: 'external' (frames of another process) or 'reload' (a new snapshot). */
      changed(origin: StoreChange['origin']): void;
    },
  ) {
    this.sql = new Statements(() => this.db, path);
  }

  get journalPath(): string {
    return this.path + '.journal';
  }

  /** Writes an empty database: the store's own table, then `initialize` (the migrations) straight into the first snapshot. */
  createEmpty(initialize: () => void): void {
    // A journal without its snapshot cannot be replayed onto an empty database.
    const journalBytes = fileId(this.journalPath)?.size ?? 0;
    if (journalBytes > 0) {
      throw new CorruptDatabaseError(this.path, 'snapshot', `the database file is missing but its journal ${this.journalPath} holds ${journalBytes} bytes of changes`);
    }
    const db = new this.SQL.Database();
    try {
      setPragmas(db);
      db.exec(`CREATE TABLE _store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO _store_meta VALUES ('format', '1'), ('journal_seq', '0'), ('created_at', '${new Date().toISOString()}');
        ${MIGRATIONS_TABLE_SQL};`);
      this.db = db;
      db.exec('BEGIN');
      try {
        initialize();
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
      writeSnapshot(this.path, db.export(), 0);
    } finally {
      this.sql.freeAll();
      db.close();
    }
  }

  openJournal(): void {
    try {
      this.journalFd = fs.openSync(this.journalPath, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    } catch (err) {
      throw new UserError(`Cannot open ${this.journalPath} for writing (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the database folder must be writable.`);
    }
  }

  /** Loads the snapshot and replays the journal; retried when another process compacts meanwhile. */
  load(why: 'open' | 'reload'): void {
    for (let attempt = 0; ; attempt++) {
      const id = fileId(this.path);
      const bytes = readSnapshot(this.path);
      let db: Database;
      let seq: number;
      try {
        db = new this.SQL.Database(bytes);
        setPragmas(db);
        const row = db.exec("SELECT value FROM _store_meta WHERE key = 'journal_seq'");
        seq = Number(row[0]?.values[0]?.[0]);
        if (!Number.isInteger(seq) || seq < 0) throw new Error('no journal sequence in _store_meta');
      } catch (err) {
        const msg = String((err as Error).message ?? err);
        if (/no such table: _store_meta|no journal sequence/.test(msg)) {
          throw new CorruptDatabaseError(this.path, 'foreign', 'it has no _store_meta table (it was not created by Tunix RT)');
        }
        throw new CorruptDatabaseError(this.path, 'snapshot', `SQLite cannot read it (${msg})`);
      }
      if (this.db) {
        this.sql.freeAll();
        this.db.close();
      }
      this.db = db;
      this.snapshotId = id;
      this.snapshotBytes = bytes.length;
      this.snapshotSeq = seq;
      this.appliedSeq = seq;
      this.journalOffset = 0;
      this.events.loaded();
      try {
        this.replay(why === 'open' ? 'open' : 'refresh');
        return;
      } catch (err) {
        if (err instanceof JournalMismatch && err.retry && attempt < 5 && !sameFile(fileId(this.path), id)) continue;
        if (err instanceof JournalMismatch) throw new CorruptDatabaseError(this.path, 'journal', err.message);
        throw err;
      }
    }
  }

  /**
   * Applies what other processes committed since we last looked: new journal frames, or a
   * whole new snapshot after their compaction. `locked`: the caller holds the write lock, so
   * an unreadable frame is damage, not a frame still being written.
   */
  catchUp(locked: boolean): void {
    const id = fileId(this.path);
    if (!id) {
      if (locked) throw new CorruptDatabaseError(this.path, 'snapshot', 'the database file disappeared while it was open');
      return;
    }
    const seqBefore = this.appliedSeq;
    if (!sameFile(id, this.snapshotId)) {
      this.load('reload');
      this.events.changed('reload');
      return;
    }
    try {
      this.replay(locked ? 'locked' : 'refresh');
    } catch (err) {
      if (!(err instanceof JournalMismatch)) throw err;
      if (!err.retry) throw new CorruptDatabaseError(this.path, 'journal', err.message);
      // Another process compacted between our stat and our read: start over from its snapshot.
      this.load('reload');
      this.events.changed('reload');
      return;
    }
    if (this.appliedSeq !== seqBefore) this.events.changed('external');
  }

  /** Appends a committed transaction's frame (fsynced); on failure the journal is cut back and the error rethrown. */
  append(frame: Buffer): void {
    try {
      appendFrame(this.journalFd, this.journalOffset, frame);
    } catch (err) {
      this.truncateTo(this.journalOffset);
      throw err;
    }
  }

  /** Records that the frame appended for `seq` is committed. */
  committed(seq: number, frameBytes: number): void {
    this.appliedSeq = seq;
    this.journalOffset += frameBytes;
  }

  /** Cuts the journal back to `offset` (a frame whose transaction did not commit). */
  truncateTo(offset: number): void {
    try {
      fs.ftruncateSync(this.journalFd, offset);
      fs.fdatasyncSync(this.journalFd);
    } catch {
      /* the torn tail is ignored by readers and truncated by the next writer */
    }
  }

  /** Before a write (under the lock): drops a torn tail left by a crashed writer. */
  truncateTornTail(): void {
    const size = fs.fstatSync(this.journalFd).size;
    if (size > this.journalOffset) {
      fs.ftruncateSync(this.journalFd, this.journalOffset);
      fs.fdatasyncSync(this.journalFd);
    }
    this.tornTail = undefined;
  }

  /** Under the lock: a new snapshot holding everything, then an empty journal. */
  compact(): void {
    this.db.run("UPDATE _store_meta SET value = ? WHERE key = 'journal_seq'", [String(this.appliedSeq)]);
    const bytes = this.db.export();
    // sql.js before 1.17 closed and reopened the handle in export(), which invalidates
    // prepared statements and resets pragmas: start both afresh, whatever the version does.
    this.sql.freeAll();
    setPragmas(this.db);
    writeSnapshot(this.path, bytes, this.appliedSeq);
    // The snapshot now holds every record: the journal can go. A crash before this line
    // leaves records the next open skips (their sequence is <= the snapshot's).
    fs.ftruncateSync(this.journalFd, 0);
    fs.fdatasyncSync(this.journalFd);
    this.journalOffset = 0;
    this.snapshotSeq = this.appliedSeq;
    this.snapshotBytes = bytes.length;
    this.snapshotId = fileId(this.path);
    removeStaleTemps(this.path);
  }

  /** Under the lock: copies the damaged journal aside, cuts it after the last good record and compacts. */
  salvage(): void {
    const salvage = this.pendingSalvage!;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const movedTo = `${this.journalPath}.damaged-${stamp}`;
    fs.copyFileSync(this.journalPath, movedTo);
    this.journalOffset = salvage.at; // the journal is cut after the last good record, then compacted away
    this.truncateTo(salvage.at);
    this.compact();
    this.salvaged = { movedTo, keptThroughSeq: salvage.seq };
    this.pendingSalvage = undefined;
  }

  /** Frees the database and closes the journal. */
  close(): void {
    this.sql.freeAll();
    this.db?.close();
    if (this.journalFd >= 0) fs.closeSync(this.journalFd);
  }

  /**
   * Applies journal frames after `journalOffset`. `mode` decides what an invalid frame means:
   * at open, damage followed by valid frames is corruption (or salvaged); under the lock, the
   * same; while refreshing without the lock it may be another writer's frame in progress.
   */
  private replay(mode: 'open' | 'refresh' | 'locked'): void {
    const stop: ReadStop = readFrames(this.journalFd, this.journalOffset, (frame) => {
      if (frame.seq <= this.appliedSeq) {
        this.journalOffset = frame.end; // already in the snapshot (crash between rename and truncation)
        return;
      }
      if (frame.seq !== this.appliedSeq + 1) {
        throw new JournalMismatch(`journal record ${frame.seq} at byte ${frame.start} follows record ${this.appliedSeq}; records in between are missing`, true);
      }
      this.applyFrame(frame.seq, frame.payload);
      this.appliedSeq = frame.seq;
      this.journalOffset = frame.end;
    });
    this.tornTail = undefined;
    if (stop.kind === 'invalid') {
      const size = fs.fstatSync(this.journalFd).size;
      if (mode !== 'refresh') {
        const later = findValidFrameAfter(this.journalFd, stop.offset);
        if (later && later.seq > this.appliedSeq) {
          const detail = `the record at byte ${stop.offset} is unreadable (${stop.reason}) but committed records follow it (record ${later.seq} at byte ${later.offset})`;
          if (mode === 'open' && this.salvageAllowed) this.pendingSalvage = { at: stop.offset, seq: this.appliedSeq, reason: detail };
          else throw new JournalMismatch(detail, false);
        }
      }
      this.tornTail = { offset: stop.offset, bytes: size - stop.offset, reason: stop.reason };
    }
  }

  private applyFrame(seq: number, bytes: Buffer): void {
    let payload;
    try {
      payload = decodePayload(bytes);
    } catch (err) {
      throw new JournalMismatch(`journal record ${seq} cannot be decoded (${(err as Error).message})`, false);
    }
    this.db.exec('BEGIN');
    try {
      for (const op of payload.o) {
        const sql = payload.s[op[0]];
        if (op.length === 1) this.sql.exec(sql);
        else this.sql.run(sql, op[1]);
      }
      this.db.exec('COMMIT');
    } catch (err) {
      try {
        this.db.exec('ROLLBACK');
      } catch {
        /* already rolled back by SQLite */
      }
      throw new JournalMismatch(`journal record ${seq} could not be replayed (${(err as Error).message})`, false);
    }
  }
}

/**
 * The database lives in memory (emscripten's MEMFS): durability comes from our journal, so
 * SQLite's own rollback journal and syncs only cost time.
 */
function setPragmas(db: Database): void {
  db.exec('PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=ON;');
}
