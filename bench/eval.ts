// Evaluation benchmarks, each figure beside its peer from the same run:
//   judge_items_per_s     reading an eval-items file and a predictions file (100k lines each)
//                         and judging every item (answer_correctness@v1 and @v2), against
//                         tunix-rt's own Python loop (json.loads, dict lookup,
//                         s.strip().lower() ==) over the same files, in python3
//   store_evaluation_s    storing one evaluation with 100k item results (one durable
//                         transaction), against the same insertEvaluation on better-sqlite3
//                         (native SQLite, WAL, synchronous=FULL)
//   leaderboard_ms        ranking 2,000 stored evaluations (latest per run and judge), p50/p95,
//                         against the same query on better-sqlite3
// Usage: node out/bench/eval.js [--items N]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type Reader, type Writer } from '../src/core/store';
import type { SqlParams } from '../src/core/store/types';
import { registeredDomains } from '../src/core/store/migrations';
import { evaluate, type EvaluationResult } from '../src/core/eval/evaluate';
import { readEvalItems } from '../src/core/eval/evalItems';
import { readPredictions } from '../src/core/eval/predictions';
import { answerCorrectnessV1 } from '../src/core/eval/judges/answerCorrectnessV1';
import { answerCorrectnessV2 } from '../src/core/eval/judges/answerCorrectnessV2';
import { insertEvaluation } from '../src/core/eval/store/evaluations';
import { leaderboard } from '../src/core/eval/leaderboard';
import '../src/core/eval/store/schema';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--items') + 1]) || 100_000;
const EVALUATIONS = 2000;
const emit = figureEmitter('eval');

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Addition items and model-like predictions: right, wrong, or right in another format. */
function writeFiles(dir: string): { items: string; predictions: string } {
  const rand = prng(42);
  const items: string[] = [];
  const preds: string[] = [];
  for (let i = 0; i < N; i++) {
    const a = Math.floor(rand() * 100000);
    const b = Math.floor(rand() * 100000);
    const sum = a + b;
    const id = `tr-${i.toString(16).padStart(8, '0')}`;
    items.push(JSON.stringify({ id, prompt: `What is ${a} + ${b}?`, expected_answer: String(sum), category: ['easy', 'medium', 'hard'][i % 3] }));
    const r = rand();
    const answer = r < 0.5 ? String(sum) : r < 0.7 ? sum.toLocaleString('en-US') : r < 0.8 ? `${sum}.0` : String(sum + 1);
    preds.push(JSON.stringify({ id, prediction: `Reasoning:\n1. ${a % 10}+${b % 10}=${(a % 10) + (b % 10)}\nAnswer: ${answer}` }));
  }
  const itemsFile = path.join(dir, 'items.jsonl');
  const predsFile = path.join(dir, 'predictions.jsonl');
  fs.writeFileSync(itemsFile, items.join('\n') + '\n');
  fs.writeFileSync(predsFile, preds.join('\n') + '\n');
  return { items: itemsFile, predictions: predsFile };
}

const PYTHON_PEER = String.raw`
import json, sys, time
t = time.perf_counter()
items = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8') if l.strip()]
predictions = {}
for line in open(sys.argv[2], encoding='utf-8'):
    if not line.strip():
        continue
    rec = json.loads(line)
    tid = rec.get('trace_id') or rec.get('id')
    if tid and 'prediction' in rec:
        predictions[tid] = rec['prediction']
def normalize(s):
    return s.strip().lower()
correct = 0
for it in items:
    if normalize(it['expected_answer']) == normalize(predictions.get(it['id'], '')):
        correct += 1
score = correct / len(items)
print(json.dumps({'seconds': time.perf_counter() - t, 'score': score, 'python': sys.version.split()[0]}))
`;
import { figureEmitter, percentile, round } from './lib/figures';

async function judgeBench(files: { items: string; predictions: string }): Promise<EvaluationResult> {
  let v2: EvaluationResult | undefined;
  for (const judge of [answerCorrectnessV1, answerCorrectnessV2]) {
    const times: number[] = [];
    let result: EvaluationResult | undefined;
    for (let round_ = 0; round_ < 3; round_++) {
      const t = performance.now();
      result = await evaluate(readEvalItems(files.items), readPredictions(files.predictions), judge);
      times.push(performance.now() - t);
    }
    const best = Math.min(...times) / 1000;
    if (judge === answerCorrectnessV2) v2 = result;
    let peer: Record<string, unknown> = { peer: null, peer_note: 'python3 not found' };
    if (judge === answerCorrectnessV1) {
      const runs = [0, 1, 2].map(() => spawnSync('python3', ['-c', PYTHON_PEER, files.items, files.predictions], { encoding: 'utf8' }));
      const ok = runs.filter((r) => r.status === 0).map((r) => JSON.parse(r.stdout) as { seconds: number; score: number; python: string });
      if (ok.length) {
        const s = Math.min(...ok.map((o) => o.seconds));
        peer = { peer_items_per_s: Math.round(N / s), peer: `tunix-rt's Python loop (json.loads + s.strip().lower() ==), CPython ${ok[0].python}`, peer_score: ok[0].score, same_score: ok[0].score === result!.scorecard.primary_score };
      }
    } else {
      peer = { peer: 'answer_correctness@v1 on the same files (the rule v2 refines)', note: 'v2 extracts the answer, normalizes and parses numbers exactly' };
    }
    emit({ figure: 'judge_items_per_s', judge: judge.id, items: N, items_per_s: Math.round(N / best), seconds: round(best, 3), primary_score: round(result!.scorecard.primary_score, 4), ...peer });
  }
  return v2!;
}

interface NativeDb {
  prepare(sql: string): { all(...p: unknown[]): unknown[]; get(...p: unknown[]): unknown; run(...p: unknown[]): { changes: number }; iterate(...p: unknown[]): IterableIterator<unknown> };
  exec(sql: string): void;
  pragma(s: string): unknown;
  transaction<F extends (...a: never[]) => unknown>(fn: F): { immediate: F };
  close(): void;
}

/** better-sqlite3 behind the Reader/Writer interfaces, so the same eval code runs on it. */
function nativePeer(file: string): { read<T>(fn: (q: Reader) => T): T; write<T>(fn: (tx: Writer) => T): T; close(): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as new (file: string) => NativeDb;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  for (const m of registeredDomains().get('eval') ?? []) db.exec(m.up as string);
  const cache = new Map<string, ReturnType<NativeDb['prepare']>>();
  const stmt = (sql: string) => cache.get(sql) ?? (cache.set(sql, db.prepare(sql)), cache.get(sql)!);
  const a = (p?: SqlParams) => (p ? (Array.isArray(p) ? (p as unknown[]) : [Object.fromEntries(Object.entries(p).map(([k, v]) => [k.slice(1), v]))]) : []);
  const reader: Reader = {
    databasePath: file,
    all: <T extends object>(sql: string, p?: SqlParams) => stmt(sql).all(...a(p)) as T[],
    get: <T extends object>(sql: string, p?: SqlParams) => stmt(sql).get(...a(p)) as T | undefined,
    each: <T extends object>(sql: string, p: SqlParams | undefined, fn: (row: T) => boolean | void) => {
      for (const row of stmt(sql).iterate(...a(p))) if (fn(row as T) === false) break;
    },
  };
  const writer: Writer = { ...reader, run: (sql, p) => ({ changes: stmt(sql).run(...a(p)).changes }), exec: (sql) => db.exec(sql) };
  return { read: (fn) => fn(reader), write: (fn) => db.transaction(() => fn(writer)).immediate(), close: () => db.close() };
}

async function storeBench(dir: string, result: EvaluationResult): Promise<void> {
  const store = await openStore(path.join(dir, 'tunix.db'));
  let native: ReturnType<typeof nativePeer> | undefined;
  let nativeNote = '';
  try {
    native = nativePeer(path.join(dir, 'native.db'));
  } catch (err) {
    nativeNote = `better-sqlite3 unavailable: ${(err as Error).message}`;
  }
  try {
    const meta = { runId: 'run-big', itemsSource: 'bench', predictionsSource: 'bench' };
    let t = performance.now();
    await store.write((tx) => insertEvaluation(tx, result, meta, 'big'));
    const ours = (performance.now() - t) / 1000;
    let theirs: number | undefined;
    if (native) {
      t = performance.now();
      native.write((tx) => insertEvaluation(tx, result, meta, 'big'));
      theirs = (performance.now() - t) / 1000;
    }
    emit({ figure: 'store_evaluation_s', items: N, seconds: round(ours, 2), peer_seconds: theirs === undefined ? null : round(theirs, 2), peer: native ? 'the same insertEvaluation on better-sqlite3 (WAL, synchronous=FULL)' : nativeNote });

    // Many small evaluations: 2,000 across 500 runs and 2 judges, 20 items each.
    const small: EvaluationResult = { ...result, items: result.items.slice(0, 20) };
    const fill = (tx: Writer) => {
      for (let i = 0; i < EVALUATIONS; i++) {
        const judge = i % 2 ? 'answer_correctness@v2' : 'answer_correctness@v1';
        const sc = { ...small.scorecard, judge, primary_score: (i * 7919) % 1000 / 1000 };
        insertEvaluation(tx, { ...small, judge, scorecard: sc }, { runId: `run-${i % 500}`, datasetKey: `d-${i % 5}`, itemsSource: 'bench', predictionsSource: `p-${i % 500}`, createdAt: new Date(1_700_000_000_000 + i * 60_000).toISOString() }, `e-${i}`);
      }
    };
    await store.write(fill);
    native?.write(fill);
    const time = (read: (q: Reader) => unknown, reader: <T>(fn: (q: Reader) => T) => T) => {
      const xs: number[] = [];
      for (let i = 0; i < 60; i++) {
        const t0 = performance.now();
        reader((q) => read(q));
        xs.push(performance.now() - t0);
      }
      return xs.slice(10);
    };
    for (const [name, query] of [
      ['all judges', {}],
      ['one judge, text filter', { judge: 'answer_correctness@v2', text: 'run-4' }],
    ] as const) {
      const ours2 = time((q) => leaderboard(q, query), (fn) => store.read(fn));
      const theirs2 = native ? time((q) => leaderboard(q, query), (fn) => native!.read(fn)) : undefined;
      emit({
        figure: 'leaderboard_ms',
        query: name,
        evaluations: EVALUATIONS + 1,
        p50: round(percentile(ours2, 50), 2),
        p95: round(percentile(ours2, 95), 2),
        peer_p50: theirs2 ? round(percentile(theirs2, 50), 2) : null,
        peer_p95: theirs2 ? round(percentile(theirs2, 95), 2) : null,
        peer: native ? 'the same leaderboard() query on better-sqlite3' : nativeNote,
      });
    }
  } finally {
    await store.close();
    native?.close();
  }
}

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunix-bench-eval-'));
  try {
    const files = writeFiles(dir);
    const v2 = await judgeBench(files);
    await storeBench(dir, v2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
})().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
