// "Start fresh" for a database that cannot be opened: the files are renamed aside, never
// deleted, so whatever they hold can still be rescued with other tools.
import * as fs from 'node:fs';
import { WriteLock } from './lock';

/**
 * Renames `tunix.db`, its journal and its checksum sidecar to `<name>.corrupt-<time>` so a
 * new, empty database can be created at `dbPath`. Returns the new paths (the database file
 * first). Waits for a writer holding the lock (up to `lockTimeoutMs`).
 */
export async function startFresh(dbPath: string, lockTimeoutMs = 15_000): Promise<string[]> {
  const lock = new WriteLock(dbPath, { timeoutMs: lockTimeoutMs, purpose: 'moving a damaged database aside' });
  await lock.acquire();
  try {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const moved: string[] = [];
    for (const file of [dbPath, dbPath + '.journal', dbPath + '.sum']) {
      if (!fs.existsSync(file)) continue;
      const target = `${file}.corrupt-${stamp}`;
      fs.renameSync(file, target);
      moved.push(target);
    }
    return moved;
  } finally {
    lock.release();
  }
}
