// Fault tests of the durable store: kill -9 during imports, damaged files, concurrent
// writers in separate processes. Real child processes, real sql.js, real files.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, prepareTrace, registerMigrations, startFresh, isCorruptDatabaseError, type Store } from '../../../src/core/store';
import type { TraceRecord } from '../../../src/core/trace/types';
import { repoRoot, tempDir } from '../helpers';

registerMigrations('faultevents', [{ version: 1, up: 'CREATE TABLE events (x INTEGER NOT NULL)' }]);

const children = path.join(repoRoot, 'out', 'test', 'unit', 'store', 'children');

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function record(n: number): TraceRecord {
  return {
    trace_version: '1.0',
    prompt: `Round trip ${n}: what is ${n} * 3? ${'context '.repeat(n % 7)}`,
    final_answer: String(n * 3),
    steps: [
      { i: 0, type: 'mul', content: `${n} * 3 = ${n * 3}` },
      { i: 1, type: 'result', content: `answer ${n * 3}` },
    ],
    meta: { source: 'fault', category: `r${Math.floor(n / 1000)}` },
  };
}

function writeFile(file: string, records: TraceRecord[]): string[] {
  fs.writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return records.map((r) => prepareTrace(r).id);
}

async function ids(dbPath: string, opts: { compactOnClose: boolean }): Promise<string[]> {
  const store = await openStore(dbPath, { compactOnClose: opts.compactOnClose });
  try {
    return store.read((q) => q.all<{ id: string }>('SELECT id FROM traces ORDER BY seq').map((r) => r.id));
  } finally {
    await store.close();
  }
}

async function events(store: Store): Promise<number> {
  return store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM events')!.n);
}

describe('store faults: kill -9 during import', function () {
  this.timeout(240_000);

  it('every reopen succeeds and holds exactly the committed batches (24 kills at random moments)', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'tunix.db');
    const ROUNDS = 24;
    const PER_ROUND = 400;
    const BATCH = 40;
    let expected: string[] = [];
    const stats = { killedBeforeOpen: 0, killedMidImport: 0, finished: 0, inFlightKept: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const file = path.join(dir, `round${round}.jsonl`);
      const fileIds = writeFile(
        file,
        Array.from({ length: PER_ROUND }, (_, k) => record(round * 1000 + k)),
      );
      const child = spawn(process.execPath, [path.join(children, 'importChild.js'), db, file, String(BATCH)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let reported = 0;
      let opened = false;
      let stderr = '';
      let buffered = '';
      // Half the kills land at a random time, half right after a random commit (plus jitter),
      // so they hit opening, replay, validation, fsync, compaction and close.
      const afterCommit = round % 2 === 1 ? 1 + Math.floor(Math.random() * (PER_ROUND / BATCH)) : -1;
      let killTimer: NodeJS.Timeout | undefined;
      const kill = () => child.kill('SIGKILL');
      if (afterCommit < 0) killTimer = setTimeout(kill, 150 + Math.random() * 900);
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line === 'open') opened = true;
          const m = /^committed (\d+)$/.exec(line);
          if (m) {
            reported = Number(m[1]);
            if (reported / BATCH === afterCommit) killTimer = setTimeout(kill, Math.random() * 15);
          }
        }
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
      clearTimeout(killTimer);
      assert.ok(code === null || code === 0, `round ${round}: child failed (${code}): ${stderr}`);
      if (code === 0) stats.finished++;
      else if (!opened) stats.killedBeforeOpen++;
      else stats.killedMidImport++;

      const got = await ids(db, { compactOnClose: round % 3 === 0 });
      const added = got.length - expected.length;
      // The database holds the batches whose commit returned, and possibly the one batch whose
      // journal frame was fsynced when the kill came (its commit was about to return): whole
      // batches only, in file order, and nothing else.
      const allowed = [reported, Math.min(reported + BATCH, PER_ROUND)];
      assert.ok(allowed.includes(added), `round ${round}: ${added} new traces, expected ${allowed.join(' or ')} (exit ${code})`);
      if (added > reported) stats.inFlightKept++;
      assert.deepEqual(got, [...expected, ...fileIds.slice(0, added)], `round ${round}: exactly the first ${added} records of the file, after the earlier rounds`);
      expected = got;
    }
    // The search index and the tables agree after all the crashes.
    const store = await openStore(db);
    assert.equal(store.read((q) => q.get<{ integrity_check: string }>('PRAGMA integrity_check')!.integrity_check), 'ok');
    const indexed = store.read((q) => q.get<{ n: number }>(`SELECT count(*) AS n FROM traces_fts WHERE traces_fts MATCH 'round'`)!.n);
    assert.equal(indexed, expected.length);
    assert.equal(store.read((q) => q.get<{ n: number }>('SELECT sum(n) AS n FROM trace_groups')!.n), expected.length, 'the trigger-kept group counts agree');
    await store.close();
    assert.ok(stats.killedMidImport >= 8, `enough kills landed mid-import: ${JSON.stringify(stats)}`);
    console.log(`      kill -9 rounds: ${JSON.stringify(stats)}, ${expected.length} traces kept`);
  });
});

describe('store faults: damaged files', () => {
  let dir: string;
  before(() => (dir = tempDir()));

  async function withEvents(name: string, n: number, compactOnClose = false): Promise<string> {
    const db = path.join(dir, name);
    const store = await openStore(db, { compactOnClose });
    for (let k = 0; k < n; k++) await store.write((tx) => tx.run('INSERT INTO events VALUES (?)', [k]));
    await store.close();
    return db;
  }

  it('a truncated snapshot: clear error, file untouched, start fresh keeps it aside', async () => {
    const db = await withEvents('trunc.db', 3, true);
    fs.truncateSync(db, fs.statSync(db).size - 1000);
    const before = sha(db);
    await assert.rejects(openStore(db), (err: unknown) => {
      assert.ok(isCorruptDatabaseError(err));
      assert.equal(err.part, 'snapshot');
      assert.match(err.message, /trunc\.db.*(truncated|whole number|checksum)/s);
      assert.match(err.message, /left untouched/);
      assert.match(err.message, /corrupt-/);
      return true;
    });
    assert.equal(sha(db), before, 'the damaged file is left as it was');
    const moved = await startFresh(db);
    assert.ok(moved[0].startsWith(db + '.corrupt-'));
    assert.equal(sha(moved[0]), before, 'the moved file keeps the damaged bytes for rescue');
    const fresh = await openStore(db);
    assert.equal(await events(fresh), 0);
    await fresh.close();
  });

  it('a snapshot with damaged bytes inside is detected by its checksum; a non-database file too', async () => {
    const db = await withEvents('flip.db', 3, true);
    const bytes = fs.readFileSync(db);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(db, bytes);
    await assert.rejects(openStore(db), /damaged or not a database.*checksum/s);
    const text = path.join(dir, 'text.db');
    fs.writeFileSync(text, 'hello, I am not SQLite\n');
    await assert.rejects(openStore(text), /does not start with the SQLite header/);
    assert.equal(fs.readFileSync(text, 'utf8'), 'hello, I am not SQLite\n');
  });

  it('an SQLite file that is not ours is refused, not adopted', async () => {
    const SQL = await (await import('../../../src/core/store/sqljs')).loadSqlJs();
    const other = new SQL.Database();
    other.exec('CREATE TABLE customers (name TEXT)');
    const db = path.join(dir, 'foreign.db');
    fs.writeFileSync(db, other.export());
    other.close();
    const before = sha(db);
    await assert.rejects(openStore(db), (err: unknown) => isCorruptDatabaseError(err) && err.part === 'foreign');
    assert.equal(sha(db), before);
  });

  it('a torn journal tail (a write cut short) is ignored, reported, and truncated by the next write', async () => {
    const db = await withEvents('torn.db', 5);
    const journal = db + '.journal';
    fs.truncateSync(journal, fs.statSync(journal).size - 3);
    const store = await openStore(db, { compactOnClose: false });
    assert.equal(await events(store), 4, 'the cut record was never committed; the four before it are all there');
    assert.ok(store.info().tornTail, 'the torn tail is reported');
    await store.write((tx) => tx.run('INSERT INTO events VALUES (?)', [99]));
    await store.close();
    const again = await openStore(db);
    assert.equal(await events(again), 5);
    assert.equal(again.info().tornTail, undefined);
    await again.close();
  });

  it('garbage after the last record is ignored; nothing committed is lost', async () => {
    const db = await withEvents('garbage.db', 4);
    fs.appendFileSync(db + '.journal', crypto.randomBytes(777));
    const store = await openStore(db);
    assert.equal(await events(store), 4);
    await store.close();
  });

  it('a damaged record in the middle of the journal: clear error, untouched; salvage keeps what precedes it', async () => {
    const db = await withEvents('middle.db', 5);
    const journal = db + '.journal';
    const bytes = fs.readFileSync(journal);
    const second = bytes.indexOf(Buffer.from('TJ01'), 4);
    bytes[second + 30] ^= 0x55; // inside record 2's payload
    fs.writeFileSync(journal, bytes);
    const before = sha(journal);
    await assert.rejects(openStore(db), (err: unknown) => {
      assert.ok(isCorruptDatabaseError(err));
      assert.equal(err.part, 'journal');
      assert.match(err.message, /committed records follow it/);
      assert.match(err.message, /salvage/);
      return true;
    });
    assert.equal(sha(journal), before);
    const salvaged = await openStore(db, { salvageJournal: true });
    assert.equal(await events(salvaged), 1);
    const info = salvaged.info();
    assert.ok(info.salvaged && fs.existsSync(info.salvaged.movedTo));
    assert.equal(sha(info.salvaged.movedTo), before, 'the damaged journal is kept aside as it was');
    await salvaged.write((tx) => tx.run('INSERT INTO events VALUES (?)', [7]));
    await salvaged.close();
    const again = await openStore(db);
    assert.equal(await events(again), 2);
    await again.close();
  });

  it('a crash between snapshot rename and journal truncation never applies a record twice', async () => {
    const db = await withEvents('twice.db', 6);
    const journalBytes = fs.readFileSync(db + '.journal');
    const store = await openStore(db);
    await store.close(); // compacts: the snapshot now holds records 1-6 and the journal is emptied
    assert.equal(fs.statSync(db + '.journal').size, 0);
    fs.writeFileSync(db + '.journal', journalBytes); // as if the truncation never happened
    const again = await openStore(db, { compactOnClose: false });
    assert.equal(await events(again), 6);
    await again.write((tx) => tx.run('INSERT INTO events VALUES (?)', [6]));
    await again.close();
    const third = await openStore(db);
    assert.equal(await events(third), 7);
    await third.close();
  });

  it('a journal without its snapshot is an error, not an empty database', async () => {
    const db = await withEvents('orphan.db', 2);
    fs.rmSync(db);
    await assert.rejects(openStore(db), /missing but its journal/);
  });

  it('the lock: a stale one (dead process) is broken; a live one makes writers wait, then names its holder', async () => {
    const db = await withEvents('lock.db', 1, true);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(db + '.lock', JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), time: new Date().toISOString() }));
    const store = await openStore(db, { lockTimeoutMs: 2000 });
    await store.write((tx) => tx.run('INSERT INTO events VALUES (1)'));
    assert.equal(fs.existsSync(db + '.lock'), false);
    fs.writeFileSync(db + '.lock', JSON.stringify({ pid: process.pid, host: os.hostname(), time: new Date().toISOString(), purpose: 'import big.jsonl' }));
    const t0 = Date.now();
    await assert.rejects(store.write((tx) => tx.run('INSERT INTO events VALUES (2)')), (err: Error) => {
      assert.match(err.message, new RegExp(`process ${process.pid} .*import big\\.jsonl`));
      assert.match(err.message, /lock\.db\.lock/);
      return true;
    });
    assert.ok(Date.now() - t0 >= 1900, 'it waited for the lock first');
    fs.rmSync(db + '.lock');
    assert.equal(await events(store), 2);
    await store.close();
  });
});

describe('store faults: several writers', function () {
  this.timeout(180_000);

  it('two Stores on one file (same process) see each other and lose nothing across compactions', async () => {
    const db = path.join(tempDir(), 'two.db');
    const a = await openStore(db, { compactMinBytes: 512, compactRatio: 0.001 });
    const b = await openStore(db, { compactMinBytes: 512, compactRatio: 0.001 });
    const writes: Promise<unknown>[] = [];
    for (let k = 0; k < 40; k++) writes.push((k % 2 ? a : b).write((tx) => tx.run('INSERT INTO events VALUES (?)', [k])));
    await Promise.all(writes);
    assert.equal(await events(a), 40);
    assert.equal(await events(b), 40);
    await a.close();
    await b.close();
  });

  it('two processes incrementing one counter at once: no lost update', async () => {
    registerMigrations('faulttest', [
      { version: 1, up: "CREATE TABLE counter (k TEXT PRIMARY KEY, v INTEGER NOT NULL); INSERT INTO counter VALUES ('c', 0); CREATE TABLE inc_log (writer TEXT NOT NULL, n INTEGER NOT NULL, seen INTEGER NOT NULL);" },
    ]);
    const N = 150;
    // On a busy machine the scheduler can run one writer's whole batch before the other gets a
    // turn: then nothing was tested at the same time, and the scenario runs again (3 at most).
    let interleaved = 0;
    for (let attempt = 1; attempt <= 3 && interleaved <= 2; attempt++) {
      const db = path.join(tempDir(), 'counter.db');
      const run = (name: string) =>
        new Promise<{ code: number | null; stderr: string }>((res) => {
          const c = spawn(process.execPath, [path.join(children, 'counterChild.js'), db, name, String(N), '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          c.on('exit', (code) => res({ code, stderr }));
        });
      const results = await Promise.all([run('a'), run('b')]);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const store = await openStore(db);
      assert.equal(store.read((q) => q.get<{ v: number }>("SELECT v FROM counter WHERE k = 'c'")!.v), 2 * N);
      const log = store.read((q) => q.all<{ writer: string; seen: number }>('SELECT writer, seen FROM inc_log ORDER BY seen'));
      assert.equal(log.length, 2 * N);
      // Every increment saw a distinct previous value: none worked on stale data.
      assert.deepEqual(
        log.map((l) => l.seen),
        Array.from({ length: 2 * N }, (_, k) => k),
      );
      interleaved = log.filter((l, k) => k > 0 && l.writer !== log[k - 1].writer).length;
      await store.close();
    }
    assert.ok(interleaved > 2, `the writers really ran at the same time (${interleaved} switches)`);
  });
});
