// Child process of the concurrent-writers fault test: increments a shared counter with a
// read-modify-write in JS (the pattern that loses updates when a writer works on stale
// data) and logs each increment. Args: DB NAME COUNT WRITERS. Each child announces it is
// ready (a file beside the database) and starts writing once all WRITERS are: so they write
// at the same time however long each took to start on a busy machine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore, registerMigrations } from '../../../../src/core/store';

registerMigrations('faulttest', [
  { version: 1, up: "CREATE TABLE counter (k TEXT PRIMARY KEY, v INTEGER NOT NULL); INSERT INTO counter VALUES ('c', 0); CREATE TABLE inc_log (writer TEXT NOT NULL, n INTEGER NOT NULL, seen INTEGER NOT NULL);" },
]);

async function main(): Promise<void> {
  const [db, name, count, writers] = process.argv.slice(2);
  // Small compaction thresholds so compactions by one writer race the other's catch-up.
  const store = await openStore(db, { compactMinBytes: 4 * 1024, compactRatio: 0.01, lockTimeoutMs: 60_000 });
  fs.writeFileSync(`${db}.ready-${name}`, '');
  const ready = () => fs.readdirSync(path.dirname(db)).filter((f) => f.startsWith(`${path.basename(db)}.ready-`)).length;
  while (ready() < Number(writers)) await new Promise((res) => setTimeout(res, 5));
  for (let n = 0; n < Number(count); n++) {
    await store.write((tx) => {
      const v = tx.get<{ v: number }>("SELECT v FROM counter WHERE k = 'c'")!.v;
      tx.run("UPDATE counter SET v = ? WHERE k = 'c'", [v + 1]);
      tx.run('INSERT INTO inc_log (writer, n, seen) VALUES (?, ?, ?)', [name, n, v]);
    });
    // Reads between writes exercise catching up without the lock.
    store.read((q) => q.get("SELECT v FROM counter WHERE k = 'c'"));
  }
  await store.close();
}

main().catch((err) => {
  process.stderr.write(String((err as Error).stack ?? err) + '\n');
  process.exit(3);
});
