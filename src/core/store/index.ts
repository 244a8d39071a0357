/**
 * The Tunix RT store: one SQLite database per workspace (sql.js, in memory) made durable on
 * disk, shared safely by several processes (VS Code windows, the CLI).
 *
 * ## Opening, reading, writing
 *
 * ```ts
 * import { openStore, registerMigrations } from '../store';
 *
 * // At module load of your domain's schema file (e.g. src/core/dataset/schema.ts):
 * registerMigrations('datasets', [
 *   { version: 1, description: 'datasets table', up: `CREATE TABLE datasets (key TEXT PRIMARY KEY, created_at TEXT NOT NULL, manifest TEXT NOT NULL)` },
 * ]);
 *
 * const store = await openStore('/ws/.tunix/tunix.db');          // creates folders + file when missing
 * const rows = store.read((q) => q.all<{ key: string }>('SELECT key FROM datasets ORDER BY key'));
 * const one = store.read((q) => q.get('SELECT * FROM datasets WHERE key = ?', ['k']));
 * await store.write((tx) => {                                     // one atomic, durable transaction
 *   tx.run('INSERT INTO datasets(key, created_at, manifest) VALUES ($key, $at, $m)', { $key: 'k', $at: new Date().toISOString(), $m: '{}' });
 * });
 * await store.close();                                            // compacts the journal into the file
 * ```
 *
 * - `read(fn)` is synchronous; it first catches up with what other processes committed
 *   (two `stat` calls when nothing changed). `fn` gets `all`, `get`, `each`.
 * - `write(fn)` returns a Promise: it waits for the cross-process write lock, catches up,
 *   runs `fn` **synchronously** (do file reading, parsing and hashing before calling it),
 *   appends the statements and their parameters to the journal, fsyncs, then commits. When
 *   the promise resolves the change survives kill -9. If `fn` throws, nothing changes.
 *   Writes of one Store are queued in call order. `fn` gets `run`, `exec` plus the readers.
 * - Parameters: positional `?` with an array, or named `$x`/`:x`/`@x` with an object whose
 *   keys include the prefix. Values: string, finite number, boolean, null, Uint8Array.
 * - Determinism rule: the journal is replayed statement by statement, so SQL in a write
 *   must not produce different results on replay: no random(), no 'now'/CURRENT_TIMESTAMP
 *   (the store refuses them). Compute ids and timestamps in JS and bind them.
 * - Migrations: `registerMigrations(domain, [{version, up}])` with versions 1, 2, 3... per
 *   domain (your own numbering; `_migrations(domain, version)` records what ran). They run at
 *   open, or at the next read/write when your module registers after the store was opened.
 *   'traces' and 'scores' (this folder, traces/schema.ts) are registered on import of this module.
 * - Changes: `store.onDidChange(e => ...)` fires after our writes and when a read/refresh
 *   picked up other processes' changes; `store.dataVersion` is a cheap cache key;
 *   `store.refresh()` polls (call it from a FileSystemWatcher on `store.journalPath` and
 *   `store.path`, or before showing data).
 * - One Store per database path per process (the extension keeps one; the CLI opens one per
 *   command). Other processes may hold their own.
 *
 * ## Errors a user can meet (all UserErrors: show `message` as is)
 * - `CorruptDatabaseError` (`isCorruptDatabaseError(err)`, `err.part`: 'snapshot' | 'journal'
 *   | 'foreign'): files left untouched. Offer "Start fresh" -> `startFresh(path)` renames the
 *   database files aside (`tunix.db.corrupt-<time>`, returned) and a new empty one can be
 *   opened; for 'journal', also offer `openStore(path, { salvageJournal: true })`.
 * - `DatabaseLockedError`: another process held the write lock longer than `lockTimeoutMs`
 *   (default 15 s); its message names the process.
 *
 * ## On disk (beside `tunix.db`)
 * - `tunix.db`         the snapshot: a valid SQLite file (readable by any SQLite tool), replaced
 *                      atomically (temp file, fsync, rename, folder fsync) on compaction.
 * - `tunix.db.journal` committed transactions since the snapshot: frames of length, CRC32,
 *                      sequence number, JSON payload of statements and parameters.
 * - `tunix.db.sum`     size + CRC32 of the latest snapshots, to detect later damage.
 * - `tunix.db.lock`    present only during a write (pid, host, time, purpose); a lock whose
 *                      process died is broken by the next writer.
 * - `tunix.db.lock.waiting`  touched by a process waiting for the lock, so a busy writer in
 *                      another process steps aside between its transactions (fairness).
 * Compaction runs when the journal outgrows max(16 MiB, snapshot size) and on close. Opening
 * replays the journal; a torn tail (a write cut short by a crash, never committed) is ignored
 * and reported in `store.info().tornTail`.
 *
 * ## Traces (the API the Traces views use; see traces/*.ts for the types)
 * Read functions take any `Readable` (a Store), write functions a `Store`. Their SQL stays in
 * this folder: views and commands call these functions and never write SQL themselves.
 * - `importTraces(store, inputs, { onProgress, signal, batchSize })` (src/core/import) streams
 *   JSONL files or folders (every *.jsonl below) in, validating each line with
 *   validateTraceLine; returns `{ imported, duplicates, invalid, invalidLines: [{ file, line,
 *   column?, code, message }], invalidLinesTruncated, files, bytes, seconds, cancelled }`.
 *   A cancelled import keeps every batch committed before the signal.
 * - `queryTraces(store, query)` -> `{ items: TraceSummary[], next?: cursor }`: full text
 *   (`text`), `source`, `category`, meta filters (`filters: [{ key, values }]`), `sort`
 *   ('imported' | 'id' | 'source' | 'category' | 'steps'), `order`, `limit`, `after` (cursor
 *   from the previous page; keyset pagination, so page 100 costs what page 1 costs).
 * - `countTraces(store, query)`; `traceGroups(store, query?)` -> source -> category -> count of
 *   the traces matching the same filters (sort/limit/cursor ignored), for the tree.
 * - `getTrace(store, id)` -> the full record + stored fields + its scores, or undefined;
 *   `getTraces(store, ids)`.
 * - `deleteTraces(store, ids)` (scores and search index follow).
 * - `metaKeys(store)` and `metaValues(store, key)` for filter pickers, with trace counts (kept
 *   by triggers, so they cost no scan); a value comes back typed (string, number, boolean,
 *   null) and can be passed back as a filter value. `traceGroups` and `countTraces` with
 *   only source/category (or nothing) read the same kind of trigger-kept counts.
 * - Filters on meta keys read trace_meta_index (kept by triggers): a value few traces have is
 *   read from it directly, a common one is probed row by row so a page stops early (both under
 *   1 ms at 100k traces; the kept counts decide which). Text search sorted by anything
 *   but insertion order collects every match first (~17 ms CPU for 12k matches).
 * - `scoreTraces(store, ids | 'all')` computes and stores the tunix-rt baseline score;
 *   `getScores(store, id)`.
 */
export { openStore, Store } from './store';
export type { OpenOptions, Readable, Writable, Reader, Writer, RunResult, StoreChange, StoreInfo } from './store';
export { registerMigrations, type Migration } from './migrations';
export { CorruptDatabaseError, DatabaseLockedError, isCorruptDatabaseError, type LockHolder, type CorruptPart } from './errors';
export { startFresh } from './startFresh';
export type { SqlValue, SqlParams, Row } from './types';
export * from './traces';
