// The store benchmark: the sql.js store (snapshot + fsynced journal) against native SQLite
// (better-sqlite3, WAL, synchronous=FULL) doing the same work in the same run. Both sides
// run the very same code (importTraces, insertTraces, queryTraces) and schema; only the
// storage underneath differs. One JSON line per figure.
//
//   import_traces_per_s / import_MBps  100k generated traces (streamed, validated, hashed, batched)
//   query_*_ms                         first page, filtered pages, full-text search, page 100 by keyset (p50, p95)
//   commit_one_trace_ms                one-trace write transaction at 1k vs 100k traces
//   open_100k_ms, rss_100k_MB          opening the 100k database and the process's memory with it loaded
//
// Usage: node out/bench/store.js [--count N]   (npm run bench runs it with the others)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, queryTraces, insertTraces, prepareTrace, traceGroups, metaKeys, metaValues, type Readable, type Reader, type Writable, type Writer, type TraceQuery } from '../src/core/store';
import { registeredDomains } from '../src/core/store/migrations';
import { importTraces } from '../src/core/import';
import { generateTraces } from '../src/core/generate';
import type { SqlParams } from '../src/core/store/types';
import { figureEmitter, percentile, round } from './lib/figures';

const MB = 1024 * 1024;
const args = process.argv.slice(2);
const COUNT = Number(args[args.indexOf('--count') + 1]) || 100_000;
const SMALL = 1000;

const emit = figureEmitter('store');
const gc = () => (globalThis as { gc?: () => void }).gc?.();

// ------------------------------------------------------------------ the native peer

interface NativeDb {
  prepare(sql: string): {
    all(...p: unknown[]): unknown[];
    get(...p: unknown[]): unknown;
    run(...p: unknown[]): { changes: number };
    iterate(...p: unknown[]): IterableIterator<unknown>;
  };
  exec(sql: string): void;
  pragma(s: string): unknown;
  transaction<F extends (...a: never[]) => unknown>(fn: F): { immediate: F };
  close(): void;
}

/** better-sqlite3 behind the store's Readable/Writable interfaces, so the same code runs on it. */
class NativePeer implements Readable, Writable {
  private readonly cache = new Map<string, ReturnType<NativeDb['prepare']>>();
  constructor(readonly db: NativeDb) {}
  private stmt(sql: string) {
    let s = this.cache.get(sql);
    if (!s) this.cache.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
  private args(params?: SqlParams): unknown[] {
    if (!params) return [];
    if (Array.isArray(params)) return params as unknown[];
    // better-sqlite3 names parameters without their prefix.
    return [Object.fromEntries(Object.entries(params).map(([k, v]) => [k.replace(/^[$:@]/, ''), v]))];
  }
  private readonly reader: Reader = {
    databasePath: 'native-peer.db', // the peer stores traces only: no files beside it
    all: <T extends object>(sql: string, p?: SqlParams) => this.stmt(sql).all(...this.args(p)) as T[],
    get: <T extends object>(sql: string, p?: SqlParams) => this.stmt(sql).get(...this.args(p)) as T | undefined,
    each: <T extends object>(sql: string, p: SqlParams | undefined, fn: (row: T) => boolean | void) => {
      for (const row of this.stmt(sql).iterate(...this.args(p))) if (fn(row as T) === false) break;
    },
  };
  private readonly writer: Writer = {
    ...this.reader,
    run: (sql, p) => ({ changes: this.stmt(sql).run(...this.args(p)).changes }),
    exec: (sql) => this.db.exec(sql),
  };
  read<T>(fn: (q: Reader) => T): T {
    return fn(this.reader);
  }
  write<T>(fn: (tx: Writer) => T): Promise<T> {
    return Promise.resolve(this.db.transaction(() => fn(this.writer)).immediate());
  }
}

function openNative(file: string): NativePeer {
  // Loaded at run time only here: it is a devDependency (a native module) the product never needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as new (file: string) => NativeDb;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // durable at every commit, as the store's journal is
  const fresh = !(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'traces'").get() as unknown);
  if (fresh) for (const domain of ['traces', 'scores']) for (const m of registeredDomains().get(domain) ?? []) db.exec(m.up as string);
  return new NativePeer(db);
}

// ------------------------------------------------------------------ workload

function writeTraces(file: string, count: number, seed: number): number {
  const fd = fs.openSync(file, 'w');
  let buf = '';
  for (const r of generateTraces({ task: 'mixed', count, seed })) {
    buf += JSON.stringify(r) + '\n';
    if (buf.length > 4 * MB) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

/** CPU milliseconds (user + system) of this process spent in `fn`: steadier than wall time on a shared machine. */
async function cpuAsync<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const c = process.cpuUsage();
  const [r, wall] = await timeAsync(fn);
  const d = process.cpuUsage(c);
  return [r, wall, (d.user + d.system) / 1000];
}

interface Latency {
  p50: number;
  p95: number;
  /** The same percentiles of CPU time (user + system) per query: what the code costs, without the waits a busy machine adds. */
  cpuP50: number;
  cpuP95: number;
  rows: number;
}

function latency(db: Readable, q: TraceQuery, reps: number): Latency {
  let rows = 0;
  for (let k = 0; k < 5; k++) rows = queryTraces(db, q).items.length; // warm statements and caches
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < reps; k++) {
    const c = process.cpuUsage();
    ms.push(time(() => queryTraces(db, q))[1]);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { p50: round(percentile(ms, 50), 3), p95: round(percentile(ms, 95), 3), cpuP50: round(percentile(cpu, 50), 3), cpuP95: round(percentile(cpu, 95), 3), rows };
}

function latencyFigure(figure: string, what: string, a: Latency, b: Latency): void {
  emit({
    figure,
    what,
    unit: 'ms',
    p50: a.p50,
    p95: a.p95,
    peer_p50: b.p50,
    peer_p95: b.p95,
    cpu_p50: a.cpuP50,
    cpu_p95: a.cpuP95,
    peer_cpu_p50: b.cpuP50,
    peer_cpu_p95: b.cpuP95,
    rows: a.rows,
    goal: 'p95 < 10',
    traces: COUNT,
    loadavg: round(os.loadavg()[0]),
  });
}

function cursorOfPage(db: Readable, q: TraceQuery, page: number): string {
  let after: string | undefined;
  for (let k = 1; k < page; k++) {
    after = queryTraces(db, { ...q, ...(after ? { after } : {}) }).next;
    if (!after) throw new Error(`fewer than ${page} pages`);
  }
  return after!;
}

interface CommitCost {
  p50: number;
  p95: number;
  mean: number;
  /** Median time spent inside the transaction callback (the SQL work, without lock and fsync). */
  sqlP50: number;
}

/** `reps` one-trace commits on each database, round-robin. */
async function commitCosts(dbs: Writable[], reps: number): Promise<CommitCost[]> {
  const total: number[][] = dbs.map(() => []);
  const inside: number[][] = dbs.map(() => []);
  const at = new Date().toISOString();
  for (let k = 0; k < reps; k++) {
    for (let d = 0; d < dbs.length; d++) {
      const row = prepareTrace({ trace_version: '1.0', prompt: `one more trace ${d} ${k}`, final_answer: String(k), steps: [{ i: 0, type: 'step', content: `step ${k}` }], meta: { source: 'bench', category: 'single' } });
      const t = performance.now();
      let sql = 0;
      await dbs[d].write((tx) => {
        const t1 = performance.now();
        insertTraces(tx, [row], at);
        sql = performance.now() - t1;
      });
      total[d].push(performance.now() - t);
      inside[d].push(sql);
    }
  }
  return total.map((ms, d) => ({
    p50: round(percentile(ms, 50), 3),
    p95: round(percentile(ms, 95), 3),
    mean: round(ms.reduce((a, b) => a + b, 0) / ms.length, 3),
    sqlP50: round(percentile(inside[d], 50), 3),
  }));
}

/** RSS of a fresh process holding the database open (run as a child of this bundle). */
function rssChild(kind: 'ours' | 'native', dbFile: string): { rssMB: number; openMs: number } {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--rss-child', kind, dbFile], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`rss child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function rssChildMain(kind: string, dbFile: string): Promise<void> {
  const t = performance.now();
  const db: Readable = kind === 'ours' ? await openStore(dbFile, { compactOnClose: false }) : openNative(dbFile);
  queryTraces(db, { limit: 50 });
  queryTraces(db, { text: 'carry', limit: 50 });
  const openMs = performance.now() - t;
  gc();
  console.log(JSON.stringify({ rssMB: round(process.memoryUsage().rss / MB, 1), openMs: round(openMs, 1) }));
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  if (args[0] === '--rss-child') return rssChildMain(args[1], args[2]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunix-bench-store-'));
  try {
    const file = path.join(dir, 'traces.jsonl');
    const bytes = writeTraces(file, COUNT, 7);

    // Import, ours then native, alternating twice; the faster of each pair of runs counts
    // (the machine is shared, so the best run is the least disturbed one).
    const ours: number[] = [];
    const peer: number[] = [];
    const oursCpu: number[] = [];
    const peerCpu: number[] = [];
    let oursClose = 0;
    let imported = 0;
    for (let r = 0; r < 2; r++) {
      for (const f of fs.readdirSync(dir)) if (f !== 'traces.jsonl') fs.rmSync(path.join(dir, f), { force: true });
      gc();
      const store = await openStore(path.join(dir, 'ours.db'));
      const [rep, ms, cpu] = await cpuAsync(() => importTraces(store, [file], { batchSize: 2000 }));
      imported = rep.imported;
      ours.push(ms);
      oursCpu.push(cpu);
      oursClose = (await timeAsync(() => store.close()))[1];
      gc();
      const native = openNative(path.join(dir, 'native.db'));
      const [, pms, pcpu] = await cpuAsync(() => importTraces(native, [file], { batchSize: 2000 }));
      peer.push(pms);
      peerCpu.push(pcpu);
      native.db.close();
    }
    const best = (xs: number[]) => Math.min(...xs);
    emit({
      figure: 'import_traces_per_s',
      value: Math.round(COUNT / (best(ours) / 1000)),
      unit: 'traces/s',
      what: `importTraces of ${COUNT} generated traces into the sql.js store (validated, hashed, FTS4-indexed, batches of 2000 fsynced to the journal)`,
      peer: 'the same importTraces into better-sqlite3 (native SQLite, WAL, synchronous=FULL), same schema',
      peer_value: Math.round(COUNT / (best(peer) / 1000)),
      ratio: round(best(peer) / best(ours)),
      goal: '>= 0.5',
      imported,
      runs_ms: ours.map((x) => Math.round(x)),
      peer_runs_ms: peer.map((x) => Math.round(x)),
      close_with_compaction_ms: Math.round(oursClose),
      cpu_value: Math.round(COUNT / (best(oursCpu) / 1000)),
      cpu_peer_value: Math.round(COUNT / (best(peerCpu) / 1000)),
      cpu_ratio: round(best(peerCpu) / best(oursCpu)),
      cpu_note: 'traces per CPU-second of the process (user+system), steadier than wall time on a shared machine',
      loadavg: round(os.loadavg()[0]),
    });
    emit({
      figure: 'import_MBps',
      value: round(bytes / MB / (best(ours) / 1000)),
      unit: 'MB/s',
      peer_value: round(bytes / MB / (best(peer) / 1000)),
      ratio: round(best(peer) / best(ours)),
      file_MB: round(bytes / MB, 1),
    });

    // Queries at COUNT traces.
    gc();
    const store = await openStore(path.join(dir, 'ours.db'), { compactOnClose: false });
    const native = openNative(path.join(dir, 'native.db'));
    const queries: Array<[string, TraceQuery, string]> = [
      ['query_first_page_ms', { limit: 50 }, 'first page of 50, insertion order'],
      ['query_filtered_page_ms', { category: 'game', limit: 50 }, 'first page of category "game" (12.5% of traces)'],
      ['query_meta_filter_page_ms', { filters: [{ key: 'task_type', values: ['reverse'] }], limit: 50 }, 'first page with meta.task_type = "reverse" (12.5%: each trace in order is probed in the meta index)'],
      ['query_meta_filter_rare_ms', { filters: [{ key: 'task_type', values: ['no-such-task'] }], limit: 50 }, 'meta filter matching nothing (a rare value: read from the meta index, no scan)'],
      ['query_fts_search_ms', { text: 'hundreds', limit: 50 }, 'full-text search, a word in ~2% of traces'],
      ['query_fts_common_word_ms', { text: 'carry', limit: 50 }, 'full-text search, a word in about half the traces'],
      ['query_fts_two_words_sorted_ms', { text: 'reverse string', sort: 'category', limit: 50 }, 'two words, sorted by category (collects every match)'],
    ];
    const reps = 200;
    for (const [figure, q, what] of queries) {
      latencyFigure(figure, what, latency(store, q, reps), latency(native, q, reps));
    }
    for (const [figure, q, what] of [
      ['query_page100_keyset_ms', { limit: 50 }, 'page 100 (rows 4951-5000) by keyset cursor, insertion order'],
      ['query_page100_by_category_ms', { limit: 50, sort: 'category' }, 'page 100 by keyset cursor, sorted by category'],
    ] as Array<[string, TraceQuery, string]>) {
      latencyFigure(figure, what, latency(store, { ...q, after: cursorOfPage(store, q, 100) }, reps), latency(native, { ...q, after: cursorOfPage(native, q, 100) }, reps));
    }

    // What the tree and the filter pickers ask for: group counts, meta keys, a key's values.
    // Timed right after a one-trace write (not timed), as a view refreshing after a change does.
    let bump = 0;
    const cold = async (db: Readable & Writable, fn: (db: Readable) => unknown) => {
      const ms: number[] = [];
      for (let k = 0; k < 7; k++) {
        const row = prepareTrace({ trace_version: '1.0', prompt: `invalidate ${bump++}`, final_answer: 'x', steps: [{ i: 0, type: 's', content: 'x' }], meta: { source: 'bench', category: 'cold' } });
        await db.write((tx) => insertTraces(tx, [row], new Date().toISOString()));
        ms.push(time(() => fn(db))[1]);
      }
      return { p50: round(percentile(ms, 50), 2), p95: round(percentile(ms, 95), 2) };
    };
    for (const [figure, what, fn] of [
      ['tree_group_counts_ms', 'source -> category -> count for the tree (counts kept by triggers)', (db: Readable) => traceGroups(db)],
      ['meta_keys_ms', 'the meta keys in use with their trace counts, for filter pickers (counts kept by triggers)', (db: Readable) => metaKeys(db)],
      ['meta_values_ms', 'the distinct values of meta.task_type with counts (kept by triggers)', (db: Readable) => metaValues(db, 'task_type')],
    ] as Array<[string, string, (db: Readable) => unknown]>) {
      const a = await cold(store, fn);
      const b = await cold(native, fn);
      emit({ figure, what, unit: 'ms', p50: a.p50, p95: a.p95, peer_p50: b.p50, peer_p95: b.p95, traces: COUNT, loadavg: round(os.loadavg()[0]) });
    }

    // One-trace commits at SMALL and at COUNT traces, alternating between the two databases
    // so that a change in machine load hits both sides alike.
    const smallFile = path.join(dir, 'small.jsonl');
    writeTraces(smallFile, SMALL, 11);
    const small = await openStore(path.join(dir, 'small.db'), { compactOnClose: false });
    await importTraces(small, [smallFile]);
    const smallNative = openNative(path.join(dir, 'small-native.db'));
    await importTraces(smallNative, [smallFile]);
    const costs = await commitCosts([store, small, native, smallNative], 300);
    await store.close();
    await small.close();
    native.db.close();
    smallNative.db.close();
    const [bigOurs, smallOurs, bigPeer, smallPeer] = costs;
    emit({
      figure: 'commit_one_trace_ms',
      what: `one write transaction inserting one trace (lock, catch-up check, journal append + fdatasync), at ${COUNT} vs ${SMALL} traces`,
      unit: 'ms',
      p50: bigOurs.p50,
      p95: bigOurs.p95,
      mean: bigOurs.mean,
      small_p50: smallOurs.p50,
      small_p95: smallOurs.p95,
      small_mean: smallOurs.mean,
      growth_p50: round(bigOurs.p50 / smallOurs.p50),
      sql_p50: bigOurs.sqlP50,
      small_sql_p50: smallOurs.sqlP50,
      peer_p50: bigPeer.p50,
      peer_small_p50: smallPeer.p50,
      peer_growth_p50: round(bigPeer.p50 / smallPeer.p50),
      goal: 'growth ~1 (must not grow with size)',
      loadavg: round(os.loadavg()[0]),
    });

    // Opening and memory, each in a fresh process.
    const o = rssChild('ours', path.join(dir, 'ours.db'));
    const n = rssChild('native', path.join(dir, 'native.db'));
    emit({ figure: 'open_100k_ms', what: `open (snapshot load + journal replay) and first two queries at ${COUNT} traces`, value: o.openMs, unit: 'ms', peer_value: n.openMs });
    emit({
      figure: 'rss_100k_MB',
      what: `resident memory of a process with the ${COUNT}-trace database open and queried`,
      value: o.rssMB,
      unit: 'MB',
      peer_value: n.rssMB,
      db_file_MB: round(fs.statSync(path.join(dir, 'ours.db')).size / MB, 1),
      peer_db_file_MB: round(fs.statSync(path.join(dir, 'native.db')).size / MB, 1),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
