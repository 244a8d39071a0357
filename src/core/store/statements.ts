// Running SQL on the store's sql.js database: a bounded cache of prepared statements (LRU,
// never evicting one in use), nested queries of the same text on a private statement, and
// SQLite's errors turned into ours (a malformed database is CorruptDatabaseError, anything
// else names the SQL). The Store swaps the database on reload; `db()` always gives the current one.
import type { Database, Statement } from 'sql.js';
import { CorruptDatabaseError } from './errors';
import type { RunResult } from './storeTypes';
import type { SqlParams } from './types';

const STATEMENT_CACHE = 256;

export function isMalformed(err: unknown): boolean {
  return /malformed|file is not a database|database disk image/i.test(String((err as Error)?.message ?? err));
}

export class Statements {
  private readonly cache = new Map<string, Statement>();
  /** Texts whose cached statement is stepping right now. */
  private readonly busy = new Set<string>();

  constructor(
    private readonly db: () => Database,
    private readonly databasePath: string,
  ) {}

  all<T extends object>(sql: string, params?: SqlParams): T[] {
    const rows: T[] = [];
    this.each<T>(sql, params, (r) => void rows.push(r));
    return rows;
  }

  get<T extends object>(sql: string, params?: SqlParams): T | undefined {
    let row: T | undefined;
    this.each<T>(sql, params, (r) => {
      row = r;
      return false;
    });
    return row;
  }

  each<T extends object>(sql: string, params: SqlParams | undefined, fn: (row: T) => boolean | void): void {
    // A statement in use cannot be shared with a nested query of the same text, nor evicted
    // by one: nested calls get a private statement.
    const busy = this.busy.has(sql);
    let stmt: Statement;
    try {
      stmt = busy ? this.db().prepare(sql) : this.prepared(sql);
    } catch (err) {
      throw this.sqlError(err, sql);
    }
    this.busy.add(sql);
    try {
      if (params) stmt.bind(params as never);
      while (stmt.step()) if (fn(stmt.getAsObject() as T) === false) break;
    } catch (err) {
      throw this.sqlError(err, sql);
    } finally {
      if (busy) stmt.free();
      else {
        stmt.reset();
        this.busy.delete(sql);
      }
    }
  }

  run(sql: string, params?: SqlParams): RunResult {
    const stmt = this.busy.has(sql) ? undefined : this.prepared(sql);
    try {
      if (stmt) stmt.run((params ?? []) as never);
      else this.db().run(sql, (params ?? []) as never);
    } catch (err) {
      throw this.sqlError(err, sql);
    }
    return { changes: this.db().getRowsModified() };
  }

  exec(sql: string): void {
    try {
      this.db().exec(sql);
    } catch (err) {
      throw this.sqlError(err, sql);
    }
  }

  /** Frees every cached statement (before the database is closed, replaced or exported). */
  freeAll(): void {
    for (const s of this.cache.values()) {
      try {
        s.free();
      } catch {
        /* already freed */
      }
    }
    this.cache.clear();
  }

  private prepared(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (stmt) return stmt;
    try {
      stmt = this.db().prepare(sql);
    } catch (err) {
      throw this.sqlError(err, sql);
    }
    if (this.cache.size >= STATEMENT_CACHE) {
      for (const [oldest, old] of this.cache) {
        if (this.busy.has(oldest)) continue;
        this.cache.delete(oldest);
        old.free();
        break;
      }
    }
    this.cache.set(sql, stmt);
    return stmt;
  }

  private sqlError(err: unknown, sql: string): Error {
    if (isMalformed(err)) return new CorruptDatabaseError(this.databasePath, 'snapshot', String((err as Error).message));
    const e = new Error(`${(err as Error).message} (in SQL: ${sql.slice(0, 300)})`);
    (e as Error & { cause?: unknown }).cause = err;
    return e;
  }
}
