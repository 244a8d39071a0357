// The write lock: a file `tunix.db.lock` created with O_EXCL for the duration of one write
// transaction (never while a window merely has the database open), holding who took it.
// A lock whose process is gone (same host, pid no longer alive) is stale and is broken;
// breaking goes through a second O_EXCL file so two waiters cannot both break it and then
// both believe they hold it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { UserError } from '../errors';
import { DatabaseLockedError, type LockHolder } from './errors';

export interface LockOptions {
  /** How long to wait for another writer before giving up with DatabaseLockedError. */
  timeoutMs: number;
  /** Shown to the other process when it has to wait (e.g. "import traces.jsonl"). */
  purpose?: string;
}

/** A lock taken by a process on another host is considered stale after this long. */
const FOREIGN_STALE_MS = 10 * 60_000;
/** A lock file whose content cannot be read (its writer died while writing it) is stale after this long. */
const UNREADABLE_STALE_MS = 5_000;
/** Longest pause between a waiter's attempts. */
const MAX_POLL_MS = 20;
/**
 * Fairness: a waiter keeps `tunix.db.lock.waiting` fresh; a process about to take the lock
 * that sees another's fresh marker first steps back this long (longer than a waiter's poll),
 * so a tight loop of writes in one process cannot starve another process.
 */
const GIVE_WAY_MS = 30;
const WAITING_FRESH_MS = 1_000;

export function lockPath(dbPath: string): string {
  return dbPath + '.lock';
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new UserError(`Cannot create the lock file ${file} (${code}); the database folder must be writable to change the database.`);
    }
    throw err;
  }
  try {
    fs.writeSync(fd, JSON.stringify(holder));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

export function readHolder(file: string): { holder?: LockHolder; mtimeMs?: number; raw?: string } {
  try {
    const raw = fs.readFileSync(file, 'utf8');
    const mtimeMs = fs.statSync(file).mtimeMs;
    try {
      const h = JSON.parse(raw) as LockHolder;
      if (Number.isInteger(h.pid) && typeof h.host === 'string') return { holder: h, mtimeMs, raw };
    } catch {
      /* half-written */
    }
    return { mtimeMs, raw };
  } catch {
    return {}; // gone
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function isStale(info: ReturnType<typeof readHolder>): boolean {
  if (info.mtimeMs === undefined) return false; // vanished: just retry
  const age = Date.now() - info.mtimeMs;
  if (!info.holder) return age > UNREADABLE_STALE_MS;
  if (info.holder.host !== os.hostname()) return age > FOREIGN_STALE_MS;
  return !pidAlive(info.holder.pid);
}

/** Removes a stale lock unless someone replaced it meanwhile. */
function breakStale(file: string, seen: ReturnType<typeof readHolder>): void {
  const breaker = file + '.break';
  const me: LockHolder = { pid: process.pid, host: os.hostname(), time: new Date().toISOString(), purpose: 'breaking a stale lock' };
  if (!tryCreate(breaker, me)) {
    if (isStale(readHolder(breaker))) fs.rmSync(breaker, { force: true });
    return;
  }
  try {
    const now = readHolder(file);
    if (now.raw !== undefined && now.raw === seen.raw) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

/** Progress of one acquire: when it began, the next pause, whether our waiting marker is out. */
interface WaitState {
  started: number;
  delay: number;
  marked: boolean;
}

export class WriteLock {
  private held = false;

  constructor(
    readonly dbPath: string,
    private readonly options: LockOptions,
  ) {}

  get file(): string {
    return lockPath(this.dbPath);
  }

  private get waitingFile(): string {
    return this.file + '.waiting';
  }

  private markWaiting(): void {
    try {
      fs.writeFileSync(this.waitingFile, String(process.pid));
    } catch {
      /* fairness is best effort */
    }
  }

  /** True when another process has been waiting for the lock within the last second. */
  private otherWaiting(): boolean {
    try {
      const st = fs.statSync(this.waitingFile);
      if (Date.now() - st.mtimeMs > WAITING_FRESH_MS) return false;
      return fs.readFileSync(this.waitingFile, 'utf8') !== String(process.pid);
    } catch {
      return false;
    }
  }

  private clearWaiting(): void {
    try {
      if (fs.readFileSync(this.waitingFile, 'utf8') === String(process.pid)) fs.rmSync(this.waitingFile, { force: true });
    } catch {
      /* gone */
    }
  }

  private attempt(purpose: string | undefined): { ok: true } | { ok: false; holder?: LockHolder } {
    const me: LockHolder = { pid: process.pid, host: os.hostname(), time: new Date().toISOString(), ...(purpose ? { purpose } : {}) };
    // A second try only after breaking a stale lock.
    if (!tryCreate(this.file, me)) {
      const info = readHolder(this.file);
      if (!isStale(info)) return { ok: false, holder: info.holder };
      breakStale(this.file, info);
      if (!tryCreate(this.file, me)) return { ok: false, holder: info.holder };
    }
    this.held = true;
    return { ok: true };
  }

  /** Waits (with backoff, without blocking the event loop) until the lock is ours. */
  async acquire(purpose = this.options.purpose): Promise<void> {
    const waiting = this.startWaiting('write lock taken twice by the same store (writes are serialised in-process first)');
    const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
    if (this.otherWaiting()) await sleep(GIVE_WAY_MS);
    for (let pause = this.tryOnce(purpose, waiting); pause !== undefined; pause = this.tryOnce(purpose, waiting)) await sleep(pause);
  }

  /** The same, blocking the thread (only for the rare write a synchronous read needs: a pending migration). */
  acquireSync(purpose = this.options.purpose): void {
    const waiting = this.startWaiting('write lock taken twice by the same store');
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);
    if (this.otherWaiting()) sleep(GIVE_WAY_MS);
    for (let pause = this.tryOnce(purpose, waiting); pause !== undefined; pause = this.tryOnce(purpose, waiting)) sleep(pause);
  }

  private startWaiting(takenTwice: string): WaitState {
    if (this.held) throw new Error(takenTwice);
    return { started: Date.now(), delay: 1, marked: false };
  }

  /**
   * One attempt of acquire/acquireSync: undefined once the lock is ours, otherwise how long to
   * pause before the next attempt (doubling up to MAX_POLL_MS). Throws DatabaseLockedError
   * once the timeout has passed. Shared so the async and the blocking waits cannot drift apart.
   */
  private tryOnce(purpose: string | undefined, state: WaitState): number | undefined {
    const r = this.attempt(purpose);
    if (r.ok) {
      if (state.marked) this.clearWaiting();
      return undefined;
    }
    const waited = Date.now() - state.started;
    if (waited >= this.options.timeoutMs) {
      if (state.marked) this.clearWaiting();
      throw new DatabaseLockedError(this.dbPath, r.holder, waited);
    }
    this.markWaiting();
    state.marked = true;
    const pause = Math.min(state.delay, this.options.timeoutMs - waited);
    state.delay = Math.min(state.delay * 2, MAX_POLL_MS);
    return pause;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    fs.rmSync(this.file, { force: true });
  }

  get isHeld(): boolean {
    return this.held;
  }
}
