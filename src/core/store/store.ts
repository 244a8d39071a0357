// The durable sql.js store: an in-memory SQLite database (sql.js) made durable by a
// snapshot file plus an append-only journal of committed transactions. This file is the
// public Store: reads, write transactions under the cross-process lock, migrations and
// change events. The database on disk (load, replay, append, compaction, salvage) is
// durableDatabase.ts; statements.ts runs the SQL; storeTypes.ts is the contract (see index.ts).
//
// Invariants:
// - A write runs only while holding the lock, after catching up with everything other
//   processes committed, so the journal is one linear history and no update is lost.
// - A write's frame is fsynced before its COMMIT, and a commit returns only after both.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { UserError } from '../errors';
import { DurableDatabase } from './durableDatabase';
import { encodeFrame } from './journal';
import { WriteLock } from './lock';
import { applyMigrations, pendingMigrations, registryGeneration } from './migrations';
import { loadSqlJs } from './sqljs';
import { assertDeterministic, TxRecorder } from './txPayload';
import type { OpenOptions, Reader, StoreChange, StoreInfo, Writer } from './storeTypes';

export type { OpenOptions, Readable, Reader, RunResult, StoreChange, StoreInfo, Writable, Writer } from './storeTypes';

const DEFAULTS = { lockTimeoutMs: 15_000, compactMinBytes: 16 * 1024 * 1024, compactRatio: 1 };

export class Store {
  private readonly disk: DurableDatabase;
  private readonly lock: WriteLock;
  private readonly opts: Required<Omit<OpenOptions, 'purpose' | 'salvageJournal'>> & Pick<OpenOptions, 'purpose' | 'salvageJournal'>;
  private migratedGeneration = -1;
  private inTransaction = false;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private version = 0;
  private readonly listeners = new Set<(e: StoreChange) => void>();

  /** Use openStore(). */
  constructor(
    SQL: SqlJsStatic,
    readonly path: string,
    options: OpenOptions,
  ) {
    this.disk = new DurableDatabase(SQL, path, !!options.salvageJournal, {
      loaded: () => (this.migratedGeneration = -1),
      changed: (origin) => this.changed(origin),
    });
    this.opts = { create: true, compactOnClose: true, ...DEFAULTS, ...options };
    this.lock = new WriteLock(path, { timeoutMs: this.opts.lockTimeoutMs, purpose: options.purpose });
  }

  get journalPath(): string {
    return this.disk.journalPath;
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
        if (!fs.existsSync(this.path)) {
          // Migrations of a brand-new database go straight into its first snapshot, not the journal.
          this.disk.createEmpty(() => applyMigrations(this.directWriter(), new Date().toISOString()));
        }
      } finally {
        this.lock.release();
      }
    }
    this.disk.openJournal();
    try {
      this.disk.load('open');
      if (this.disk.salvaged === undefined && this.opts.salvageJournal && this.disk.pendingSalvage) await this.exclusive(() => this.disk.salvage(), 'salvaging the journal');
      if (this.hasPendingMigrations()) await this.migrate();
    } catch (err) {
      // A store that failed to open holds nothing: release the file and the memory.
      this.closed = true;
      this.disk.close();
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
    this.disk.catchUp(false);
    return this.version !== before;
  }

  /** Writes a new snapshot now and empties the journal. */
  compact(): Promise<void> {
    return this.exclusive(() => {
      this.disk.catchUp(true);
      this.disk.compact();
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
      seq: this.disk.appliedSeq,
      snapshotBytes: this.disk.snapshotBytes,
      journalBytes: this.disk.journalOffset,
      ...(this.disk.tornTail ? { tornTail: this.disk.tornTail } : {}),
      ...(this.disk.salvaged ? { salvaged: this.disk.salvaged } : {}),
    };
  }

  /** Waits for pending writes, compacts when the journal holds anything, and frees the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.writeQueue;
    if (this.opts.compactOnClose && this.disk.appliedSeq > this.disk.snapshotSeq) {
      try {
        await this.exclusive(() => {
          this.disk.catchUp(true);
          if (this.disk.appliedSeq > this.disk.snapshotSeq) this.disk.compact();
        }, 'compacting the database', 2000);
      } catch {
        // Another process is writing: the journal stays; it is just as durable.
      }
    }
    this.closed = true;
    this.disk.close();
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
      all: (sql, params) => this.disk.sql.all(sql, params),
      get: (sql, params) => this.disk.sql.get(sql, params),
      each: (sql, params, fn) => this.disk.sql.each(sql, params, fn),
    };
  }

  // ---------------------------------------------------------------- writes

  private writeLocked<T>(fn: (tx: Writer) => T): T {
    this.disk.catchUp(true);
    this.disk.truncateTornTail();
    if (this.migratedGeneration !== registryGeneration()) {
      if (pendingMigrations(this.reader).length) this.transaction((tx) => applyMigrations(tx, new Date().toISOString()));
      this.migratedGeneration = registryGeneration();
    }
    const result = this.transaction(fn);
    if (this.disk.journalOffset > Math.max(this.opts.compactMinBytes, this.opts.compactRatio * this.disk.snapshotBytes)) this.disk.compact();
    return result;
  }

  private transaction<T>(fn: (tx: Writer) => T): T {
    const recorder = new TxRecorder();
    const tx: Writer = {
      ...this.reader,
      run: (sql, params) => {
        assertDeterministic(sql);
        const bound = params === undefined ? [] : Array.isArray(params) ? params.slice() : { ...params };
        const r = this.disk.sql.run(sql, bound);
        recorder.run(sql, bound);
        return r;
      },
      exec: (sql) => {
        assertDeterministic(sql);
        this.disk.sql.exec(sql);
        recorder.exec(sql);
      },
    };
    const db = this.disk.db;
    db.exec('BEGIN IMMEDIATE');
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
      db.exec('COMMIT');
      this.inTransaction = false;
      return result;
    }
    const seq = this.disk.appliedSeq + 1;
    const frame = encodeFrame(seq, recorder.encode());
    try {
      this.disk.append(frame);
    } catch (err) {
      this.rollback();
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(
        `Could not save the change to ${this.journalPath} (${code ?? (err as Error).message}); nothing was changed.` +
          (code === 'ENOSPC' ? ' The disk is full: free some space and try again.' : ''),
      );
    }
    try {
      db.exec('COMMIT');
    } catch (err) {
      this.rollback();
      this.disk.truncateTo(this.disk.journalOffset);
      throw err;
    }
    this.inTransaction = false;
    this.disk.committed(seq, frame.length);
    this.changed('local');
    return result;
  }

  private rollback(): void {
    try {
      this.disk.db.exec('ROLLBACK');
    } catch {
      /* already rolled back by SQLite */
    }
    this.inTransaction = false;
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

  // ---------------------------------------------------------------- helpers

  /** For a brand-new database's migrations: straight into the database, no journal. */
  private directWriter(): Writer {
    return { ...this.reader, run: (sql, params) => this.disk.sql.run(sql, params), exec: (sql) => this.disk.sql.exec(sql) };
  }

  private changed(origin: StoreChange['origin']): void {
    this.version++;
    const e: StoreChange = { origin, seq: this.disk.appliedSeq };
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
