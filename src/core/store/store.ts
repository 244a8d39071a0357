// The durable sql.js store: an in-memory SQLite database (sql.js) made durable by a
// snapshot file plus an append-only journal of committed transactions. See index.ts for
// the contract; journal.ts and snapshot.ts for the on-disk formats; lock.ts for writers.
//
// Invariants:
// - The snapshot holds every transaction up to `_store_meta.journal_seq`; the journal holds
//   frames with consecutive sequence numbers. Frames at or below the snapshot's sequence
//   (left by a crash between snapshot rename and journal truncation) are skipped.
// - A write runs only while holding the lock, after catching up with everything other
//   processes committed, so the journal is one linear history and no update is lost.
// - A write's frame is fsynced before its COMMIT, and a commit returns only after both.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { UserError } from '../errors';
import { CorruptDatabaseError } from './errors';
import { appendFrame, encodeFrame, findValidFrameAfter, readFrames, type ReadStop } from './journal';
import { WriteLock } from './lock';
import { applyMigrations, MIGRATIONS_TABLE_SQL, pendingMigrations, registryGeneration } from './migrations';
import { readSnapshot, removeStaleTemps, writeSnapshot } from './snapshot';
import { loadSqlJs } from './sqljs';
import { assertDeterministic, decodePayload, TxRecorder } from './txPayload';
import { fileId, sameFile, type FileId } from './fileIdentity';
import { Statements } from './statements';
import type { OpenOptions, Reader, StoreChange, StoreInfo, Writer } from './storeTypes';

export type { OpenOptions, Readable, Reader, RunResult, StoreChange, StoreInfo, Writable, Writer } from './storeTypes';

const DEFAULTS = { lockTimeoutMs: 15_000, compactMinBytes: 16 * 1024 * 1024, compactRatio: 1 };

/** The journal had a gap or a damaged record; `retry` says a reload may fix it (a concurrent compaction). */
class JournalMismatch extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

export class Store {
  private db!: Database;
  private readonly sql: Statements;
  private readonly lock: WriteLock;
  private readonly opts: Required<Omit<OpenOptions, 'purpose' | 'salvageJournal'>> & Pick<OpenOptions, 'purpose' | 'salvageJournal'>;
  private journalFd = -1;
  private journalOffset = 0;
  private appliedSeq = 0;
  private snapshotSeq = 0;
  private snapshotId: FileId | undefined;
  private snapshotBytes = 0;
  private migratedGeneration = -1;
  private inTransaction = false;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private version = 0;
  private readonly listeners = new Set<(e: StoreChange) => void>();
  private tornTail: StoreInfo['tornTail'];
  private salvaged: StoreInfo['salvaged'];

  /** Use openStore(). */
  constructor(
    private readonly SQL: SqlJsStatic,
    readonly path: string,
    options: OpenOptions,
  ) {
    this.sql = new Statements(() => this.db, path);
    this.opts = { create: true, compactOnClose: true, ...DEFAULTS, ...options };
    this.lock = new WriteLock(path, { timeoutMs: this.opts.lockTimeoutMs, purpose: options.purpose });
  }

  get journalPath(): string {
    return this.path + '.journal';
  }

  /** Increases on every change this Store sees (its own writes and other processes'): a cache key for views. */
  get dataVersion(): number {
    return this.version;
  }

  /** @internal called once by openStore. */
  async init(): Promise<void> {
    const dir = path.dirname(this.path);
    if (!fs.existsSync(dir)) {
      if (!this.opts.create) throw new UserError(`The folder of the database ${this.path} does not exist.`);
      fs.mkdirSync(dir, { recursive: true });
    }
    if (!fs.existsSync(this.path)) {
      if (!this.opts.create) throw new UserError(`No database at ${this.path}. Import traces first (tunix-rt import FILE --db ${this.path}).`);
      await this.lock.acquire('creating the database');
      try {
        if (!fs.existsSync(this.path)) this.createEmpty();
      } finally {
        this.lock.release();
      }
    }
    try {
      this.journalFd = fs.openSync(this.journalPath, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    } catch (err) {
      throw new UserError(`Cannot open ${this.journalPath} for writing (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the database folder must be writable.`);
    }
    try {
      this.loadFromDisk('open');
      if (this.salvaged === undefined && this.opts.salvageJournal && this.pendingSalvage) await this.finishSalvage();
      if (this.hasPendingMigrations()) await this.migrate();
    } catch (err) {
      // A store that failed to open holds nothing: release the file and the memory.
      this.closed = true;
      this.sql.freeAll();
      this.db?.close();
      fs.closeSync(this.journalFd);
      throw err;
    }
  }

  // ---------------------------------------------------------------- public API

  read<T>(fn: (q: Reader) => T): T {
    this.assertOpen();
    if (!this.inTransaction) {
      this.refresh();
      // A domain registered its migrations after open (its module loaded later): apply them
      // now, unless an async write of ours holds the lock at this instant (it applies them).
      if (!this.lock.isHeld && this.hasPendingMigrations()) this.migrateSync();
    }
    return fn(this.reader);
  }

  /**
   * Runs `fn` in a write transaction: waits for the lock (other processes), catches up with
   * their changes, runs `fn` synchronously, journals and fsyncs its changes, commits. If `fn`
   * throws, nothing is changed and the error is rethrown.
   */
  write<T>(fn: (tx: Writer) => T, options: { purpose?: string } = {}): Promise<T> {
    this.assertOpen();
    const run = async () => {
      this.assertOpen();
      await this.lock.acquire(options.purpose);
      try {
        return this.writeLocked(fn);
      } finally {
        this.lock.release();
      }
    };
    const result = this.writeQueue.then(run, run);
    this.writeQueue = result.catch(() => undefined);
    return result;
  }

  /** Applies migrations registered since open (writes through the journal). */
  migrate(): Promise<void> {
    return this.write(() => undefined, { purpose: 'migrating the schema' });
  }

  /** Catches up with changes other processes committed; true when something changed. Cheap when nothing did (two stats). */
  refresh(): boolean {
    this.assertOpen();
    if (this.inTransaction) return false;
    const before = this.version;
    this.catchUp(false);
    return this.version !== before;
  }

  /** Writes a new snapshot now and empties the journal. */
  compact(): Promise<void> {
    return this.exclusive(() => {
      this.catchUp(true);
      this.compactLocked();
    }, 'compacting the database');
  }

  onDidChange(listener: (e: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  info(): StoreInfo {
    return {
      path: this.path,
      journalPath: this.journalPath,
      seq: this.appliedSeq,
      snapshotBytes: this.snapshotBytes,
      journalBytes: this.journalOffset,
      ...(this.tornTail ? { tornTail: this.tornTail } : {}),
      ...(this.salvaged ? { salvaged: this.salvaged } : {}),
    };
  }

  /** Waits for pending writes, compacts when the journal holds anything, and frees the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.writeQueue;
    if (this.opts.compactOnClose && this.appliedSeq > this.snapshotSeq) {
      try {
        await this.exclusive(() => {
          this.catchUp(true);
          if (this.appliedSeq > this.snapshotSeq) this.compactLocked();
        }, 'compacting the database', 2000);
      } catch {
        // Another process is writing: the journal stays; it is just as durable.
      }
    }
    this.closed = true;
    this.sql.freeAll();
    this.db.close();
    fs.closeSync(this.journalFd);
  }

  // ---------------------------------------------------------------- queries

  private readonly reader: Reader = this.makeReader();

  private makeReader(): Reader {
    const resolvePath = () => this.path;
    return {
      // A getter: field initializers run before the constructor's parameter properties are set.
      get databasePath(): string {
        return resolvePath();
      },
      all: (sql, params) => this.sql.all(sql, params),
      get: (sql, params) => this.sql.get(sql, params),
      each: (sql, params, fn) => this.sql.each(sql, params, fn),
    };
  }

  // ---------------------------------------------------------------- writes

  private writeLocked<T>(fn: (tx: Writer) => T): T {
    this.catchUp(true);
    this.truncateTornTail();
    if (this.migratedGeneration !== registryGeneration()) {
      if (pendingMigrations(this.reader).length) this.transaction((tx) => applyMigrations(tx, new Date().toISOString()));
      this.migratedGeneration = registryGeneration();
    }
    const result = this.transaction(fn);
    if (this.journalOffset > Math.max(this.opts.compactMinBytes, this.opts.compactRatio * this.snapshotBytes)) this.compactLocked();
    return result;
  }

  private transaction<T>(fn: (tx: Writer) => T): T {
    const recorder = new TxRecorder();
    const tx: Writer = {
      ...this.reader,
      run: (sql, params) => {
        assertDeterministic(sql);
        const bound = params === undefined ? [] : Array.isArray(params) ? params.slice() : { ...params };
        const r = this.sql.run(sql, bound);
        recorder.run(sql, bound);
        return r;
      },
      exec: (sql) => {
        assertDeterministic(sql);
        this.sql.exec(sql);
        recorder.exec(sql);
      },
    };
    this.db.exec('BEGIN IMMEDIATE');
    this.inTransaction = true;
    let result: T;
    try {
      result = fn(tx);
      if (result && typeof (result as { then?: unknown }).then === 'function') {
        throw new Error('store.write() callbacks must be synchronous: do the async work (reading files, parsing) before calling write().');
      }
    } catch (err) {
      this.rollback();
      throw err;
    }
    if (recorder.empty) {
      this.db.exec('COMMIT');
      this.inTransaction = false;
      return result;
    }
    const seq = this.appliedSeq + 1;
    const frame = encodeFrame(seq, recorder.encode());
    try {
      appendFrame(this.journalFd, this.journalOffset, frame);
    } catch (err) {
      this.rollback();
      this.truncateJournalTo(this.journalOffset);
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(
        `Could not save the change to ${this.journalPath} (${code ?? (err as Error).message}); nothing was changed.` +
          (code === 'ENOSPC' ? ' The disk is full: free some space and try again.' : ''),
      );
    }
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      this.rollback();
      this.truncateJournalTo(this.journalOffset);
      throw err;
    }
    this.inTransaction = false;
    this.appliedSeq = seq;
    this.journalOffset += frame.length;
    this.changed('local');
    return result;
  }

  private rollback(): void {
    try {
      this.db.exec('ROLLBACK');
    } catch {
      /* already rolled back by SQLite */
    }
    this.inTransaction = false;
  }

  private truncateJournalTo(offset: number): void {
    try {
      fs.ftruncateSync(this.journalFd, offset);
      fs.fdatasyncSync(this.journalFd);
    } catch {
      /* the torn tail is ignored by readers and truncated by the next writer */
    }
  }

  /** Runs `fn` holding the lock, after in-process writes queued before it. */
  private exclusive(fn: () => void, purpose: string, timeoutMs?: number): Promise<void> {
    const run = async () => {
      const lock = timeoutMs === undefined ? this.lock : new WriteLock(this.path, { timeoutMs, purpose });
      await lock.acquire(purpose);
      try {
        fn();
      } finally {
        lock.release();
      }
    };
    const result = this.writeQueue.then(run, run);
    this.writeQueue = result.catch(() => undefined);
    return result;
  }

  private migrateSync(): void {
    this.lock.acquireSync('migrating the schema');
    try {
      this.writeLocked(() => undefined);
    } finally {
      this.lock.release();
    }
  }

  private hasPendingMigrations(): boolean {
    if (this.migratedGeneration === registryGeneration()) return false;
    if (pendingMigrations(this.reader).length) return true;
    this.migratedGeneration = registryGeneration();
    return false;
  }

  // ---------------------------------------------------------------- snapshot and journal

  private setPragmas(db: Database): void {
    // The database lives in memory (emscripten's MEMFS): durability comes from our journal,
    // so SQLite's own rollback journal and syncs only cost time.
    db.exec('PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=ON;');
  }

  private createEmpty(): void {
    // A journal without its snapshot cannot be replayed onto an empty database.
    const journalBytes = fileId(this.journalPath)?.size ?? 0;
    if (journalBytes > 0) {
      throw new CorruptDatabaseError(this.path, 'snapshot', `the database file is missing but its journal ${this.journalPath} holds ${journalBytes} bytes of changes`);
    }
    const db = new this.SQL.Database();
    try {
      this.setPragmas(db);
      db.exec(`CREATE TABLE _store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO _store_meta VALUES ('format', '1'), ('journal_seq', '0'), ('created_at', '${new Date().toISOString()}');
        ${MIGRATIONS_TABLE_SQL};`);
      this.db = db;
      this.transactionDirect(() => applyMigrations(this.directWriter(), new Date().toISOString()));
      this.migratedGeneration = registryGeneration();
      writeSnapshot(this.path, db.export(), 0);
    } finally {
      this.sql.freeAll();
      db.close();
    }
  }

  /** Migrations of a brand-new database go straight into its first snapshot, not the journal. */
  private directWriter(): Writer {
    return { ...this.reader, run: (sql, params) => this.sql.run(sql, params), exec: (sql) => this.sql.exec(sql) };
  }

  private transactionDirect(fn: () => void): void {
    this.db.exec('BEGIN');
    try {
      fn();
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  private pendingSalvage: { at: number; seq: number; reason: string } | undefined;

  /** Loads the snapshot and replays the journal; retried when another process compacts meanwhile. */
  private loadFromDisk(why: 'open' | 'reload'): void {
    for (let attempt = 0; ; attempt++) {
      const id = fileId(this.path);
      const bytes = readSnapshot(this.path);
      let db: Database;
      let seq: number;
      try {
        db = new this.SQL.Database(bytes);
        this.setPragmas(db);
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
      this.migratedGeneration = -1;
      try {
        this.replayJournal(why === 'open' ? 'open' : 'refresh');
        return;
      } catch (err) {
        if (err instanceof JournalMismatch && err.retry && attempt < 5 && !sameFile(fileId(this.path), id)) continue;
        if (err instanceof JournalMismatch) throw new CorruptDatabaseError(this.path, 'journal', err.message);
        throw err;
      }
    }
  }

  /**
   * Applies journal frames after `journalOffset`. `mode` decides what an invalid frame means:
   * at open, damage followed by valid frames is corruption (or salvaged); under the lock, the
   * same; while refreshing without the lock it may be another writer's frame in progress.
   */
  private replayJournal(mode: 'open' | 'refresh' | 'locked'): number {
    let applied = 0;
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
      applied++;
    });
    this.tornTail = undefined;
    if (stop.kind === 'invalid') {
      const size = fs.fstatSync(this.journalFd).size;
      if (mode !== 'refresh') {
        const later = findValidFrameAfter(this.journalFd, stop.offset);
        if (later && later.seq > this.appliedSeq) {
          const detail = `the record at byte ${stop.offset} is unreadable (${stop.reason}) but committed records follow it (record ${later.seq} at byte ${later.offset})`;
          if (mode === 'open' && this.opts.salvageJournal) this.pendingSalvage = { at: stop.offset, seq: this.appliedSeq, reason: detail };
          else throw new JournalMismatch(detail, false);
        }
      }
      this.tornTail = { offset: stop.offset, bytes: size - stop.offset, reason: stop.reason };
    }
    return applied;
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
      this.rollback();
      throw new JournalMismatch(`journal record ${seq} could not be replayed (${(err as Error).message})`, false);
    }
  }

  private catchUp(locked: boolean): void {
    const id = fileId(this.path);
    if (!id) {
      if (locked) throw new CorruptDatabaseError(this.path, 'snapshot', 'the database file disappeared while it was open');
      return;
    }
    const seqBefore = this.appliedSeq;
    if (!sameFile(id, this.snapshotId)) {
      this.loadFromDisk('reload');
      this.changed('reload');
      return;
    }
    try {
      this.replayJournal(locked ? 'locked' : 'refresh');
    } catch (err) {
      if (!(err instanceof JournalMismatch)) throw err;
      if (!err.retry) throw new CorruptDatabaseError(this.path, 'journal', err.message);
      // Another process compacted between our stat and our read: start over from its snapshot.
      this.loadFromDisk('reload');
      this.changed('reload');
      return;
    }
    if (this.appliedSeq !== seqBefore) this.changed('external');
  }

  private truncateTornTail(): void {
    const size = fs.fstatSync(this.journalFd).size;
    if (size > this.journalOffset) {
      fs.ftruncateSync(this.journalFd, this.journalOffset);
      fs.fdatasyncSync(this.journalFd);
    }
    this.tornTail = undefined;
  }

  private compactLocked(): void {
    this.db.run("UPDATE _store_meta SET value = ? WHERE key = 'journal_seq'", [String(this.appliedSeq)]);
    const bytes = this.db.export();
    // sql.js before 1.17 closed and reopened the handle in export(), which invalidates
    // prepared statements and resets pragmas: start both afresh, whatever the version does.
    this.sql.freeAll();
    this.setPragmas(this.db);
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

  private async finishSalvage(): Promise<void> {
    const salvage = this.pendingSalvage!;
    await this.exclusive(() => {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const movedTo = `${this.journalPath}.damaged-${stamp}`;
      fs.copyFileSync(this.journalPath, movedTo);
      this.journalOffset = salvage.at; // the journal is cut after the last good record, then compacted away
      this.truncateJournalTo(salvage.at);
      this.compactLocked();
      this.salvaged = { movedTo, keptThroughSeq: salvage.seq };
      this.pendingSalvage = undefined;
    }, 'salvaging the journal');
  }

  private changed(origin: StoreChange['origin']): void {
    this.version++;
    const e: StoreChange = { origin, seq: this.appliedSeq };
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* a listener's bug must not break a commit */
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The store ${this.path} is closed.`);
  }
}

/** Opens (creating when missing) the store at `dbPath`, replays its journal and applies registered migrations. */
export async function openStore(dbPath: string, options: OpenOptions = {}): Promise<Store> {
  const SQL = await loadSqlJs();
  const store = new Store(SQL, path.resolve(dbPath), options);
  await store.init();
  return store;
}
