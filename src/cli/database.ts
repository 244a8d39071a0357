// The database options every command that opens the trace database shares (--db,
// --start-fresh, --salvage-journal), and opening it with the messages for a damaged database.
import * as path from 'node:path';
import type { Io } from './command';
import { UserError } from '../core/errors';
import { DEFAULT_DATABASE_RELATIVE } from '../core/env/paths';
import type { Store } from '../core/store/store';

export const DB_OPTIONS = {
  db: { type: 'string' },
  'start-fresh': { type: 'boolean' },
  'salvage-journal': { type: 'boolean' },
} as const;

export const DB_HELP = `  --db PATH          database file (default: ${DEFAULT_DATABASE_RELATIVE} under the current folder;
                     missing folders are created)
  --start-fresh      if the database is damaged, rename it to PATH.corrupt-<time> and start a
                     new, empty one (a good database is never touched)
  --salvage-journal  if the change journal is damaged, keep every change before the damage
                     and set the journal aside (PATH.journal.damaged-<time>)`;

/** Opens the store named by --db, applying --start-fresh / --salvage-journal to a damaged one. */
export async function openCliStore(values: { db?: string; 'start-fresh'?: boolean; 'salvage-journal'?: boolean }, io: Io, purpose: string): Promise<Store> {
  const { openStore, isCorruptDatabaseError, startFresh } = await import('../core/store');
  const dbPath = path.resolve(values.db ?? DEFAULT_DATABASE_RELATIVE);
  const options = { purpose: `tunix-rt ${purpose}`, salvageJournal: !!values['salvage-journal'] };
  try {
    const store = await openStore(dbPath, options);
    const info = store.info();
    if (info.salvaged) io.err(`Kept every change through #${info.salvaged.keptThroughSeq}; the damaged journal was set aside as ${info.salvaged.movedTo}.\n`);
    return store;
  } catch (err) {
    if (!isCorruptDatabaseError(err) || !values['start-fresh']) {
      if (isCorruptDatabaseError(err)) throw new UserError(`${err.message}\nRun again with --start-fresh to do that${err.part === 'journal' ? ', or --salvage-journal' : ''}.`);
      throw err;
    }
    const moved = await startFresh(dbPath);
    io.err(`The database was damaged (${err.detail}); moved it aside: ${moved.join(', ')}. Starting a new, empty database at ${dbPath}.\n`);
    return openStore(dbPath, options);
  }
}

