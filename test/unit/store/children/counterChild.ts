// Child process of the concurrent-writers fault test: increments a shared counter with a
// read-modify-write in JS (the pattern that loses updates when a writer works on stale
// data) and logs each increment. Args: DB NAME COUNT START_AT (ms since epoch: both
// children begin their writes at the same moment, whatever their start-up times)
import { openStore, registerMigrations } from '../../../../src/core/store';

registerMigrations('faulttest', [
  { version: 1, up: "CREATE TABLE counter (k TEXT PRIMARY KEY, v INTEGER NOT NULL); INSERT INTO counter VALUES ('c', 0); CREATE TABLE inc_log (writer TEXT NOT NULL, n INTEGER NOT NULL, seen INTEGER NOT NULL);" },
]);

async function main(): Promise<void> {
  const [db, name, count, startAt] = process.argv.slice(2);
  // Small compaction thresholds so compactions by one writer race the other's catch-up.
  const store = await openStore(db, { compactMinBytes: 4 * 1024, compactRatio: 0.01, lockTimeoutMs: 60_000 });
  await new Promise((res) => setTimeout(res, Math.max(0, Number(startAt) - Date.now())));
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
