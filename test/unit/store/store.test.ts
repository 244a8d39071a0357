import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore, registerMigrations, type Store } from '../../../src/core/store';
import { tempDir } from '../helpers';

registerMigrations('storetest', [{ version: 1, up: 'CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)' }]);

describe('store: open, read, write, reopen', () => {
  let dir: string;
  before(() => (dir = tempDir()));

  it('creates missing folders and an SQLite snapshot; writes survive close and reopen', async () => {
    const db = path.join(dir, 'a', 'b', 'tunix.db');
    const store = await openStore(db);
    await store.write((tx) => tx.run('INSERT INTO kv VALUES (?, ?)', ['x', '1']));
    await store.write((tx) => tx.run('INSERT INTO kv VALUES ($k, $v)', { $k: 'y', $v: '2' }));
    assert.deepEqual(store.read((q) => q.all('SELECT k, v FROM kv ORDER BY k')), [
      { k: 'x', v: '1' },
      { k: 'y', v: '2' },
    ]);
    assert.equal(fs.readFileSync(db).subarray(0, 15).toString('latin1'), 'SQLite format 3');
    assert.ok(fs.statSync(db + '.journal').size > 0, 'the writes are in the journal before close');
    await store.close();
    assert.equal(fs.statSync(db + '.journal').size, 0, 'close compacts the journal into the snapshot');
    const again = await openStore(db);
    assert.equal(again.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM kv'))?.n, 2);
    await again.close();
  });

  it('replays the journal when the process did not close the store', async () => {
    const db = path.join(dir, 'replay.db');
    const a = await openStore(db, { compactOnClose: false });
    for (let i = 0; i < 10; i++) await a.write((tx) => tx.run('INSERT INTO kv VALUES (?, ?)', [`k${i}`, String(i)]));
    await a.close();
    const b = await openStore(db);
    assert.equal(b.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM kv'))?.n, 10);
    assert.equal(b.info().seq, 10);
    await b.close();
  });

  it('a throwing write changes nothing', async () => {
    const store: Store = await openStore(path.join(dir, 'throw.db'));
    await assert.rejects(
      store.write((tx) => {
        tx.run('INSERT INTO kv VALUES (?, ?)', ['gone', '1']);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(store.read((q) => q.get('SELECT * FROM kv WHERE k = ?', ['gone'])), undefined);
    assert.equal(store.info().journalBytes, 0);
    await store.close();
  });

  it('refuses SQL that would not replay identically', async () => {
    const store = await openStore(path.join(dir, 'det.db'));
    await assert.rejects(store.write((tx) => tx.run("INSERT INTO kv VALUES ('t', datetime('now'))")), /replay identically/);
    await assert.rejects(store.write((tx) => tx.run('INSERT INTO kv VALUES (?, random())', ['r'])), /replay identically/);
    await store.close();
  });
});
