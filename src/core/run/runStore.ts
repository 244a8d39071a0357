// Run records in the store (migration domain 'runs'). A record is one row: the columns that
// views filter and sort on, plus the whole record as JSON. Several processes (VS Code
// windows, the CLI) may write the same run; every outcome they write is derived from the
// run folder, so they agree.
import { registerMigrations } from '../store/migrations';
import type { Reader, Store, Writer } from '../store/store';
import { UserError } from '../errors';
import { isValidRunId, runDirFor, runsRootFor } from './runFolder';
import { RUN_STATUSES, type RunRecord, type RunStatus } from './types';

export const RUNS_DOMAIN = 'runs';

registerMigrations(RUNS_DOMAIN, [
  {
    version: 1,
    description: 'training runs: status, dataset, recipe, process, the full record as JSON',
    up: `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  dataset_key TEXT NOT NULL,
  recipe TEXT NOT NULL,
  backend TEXT NOT NULL,
  status TEXT NOT NULL,
  run_dir TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  pid INTEGER,
  record TEXT NOT NULL
);
CREATE INDEX runs_by_status ON runs(status);
CREATE INDEX runs_by_created ON runs(created_at);
CREATE INDEX runs_by_dataset ON runs(dataset_key);
`,
  },
]);

interface RunRow {
  id: string;
  record: string;
}

/**
 * A record as the engine and the views use it. Its id is the row's key and its folder is
 * derived from that id under the runs folder beside the database: the `run_dir` column and
 * the record's own `runDir` are kept for older readers but never trusted (a database can come
 * with a workspace, and a stored path could point anywhere).
 */
function parse(q: Reader, row: RunRow | undefined): RunRecord | undefined {
  if (!row) return undefined;
  const record = JSON.parse(row.record) as RunRecord;
  return { ...record, id: row.id, runDir: runDirFor(runsRootFor(q.databasePath), row.id) };
}

export function upsertRun(tx: Writer, r: RunRecord): void {
  tx.run(
    `INSERT INTO runs (id, name, dataset_key, recipe, backend, status, run_dir, created_at, started_at, ended_at, pid, record)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, status = excluded.status, started_at = excluded.started_at,
       ended_at = excluded.ended_at, pid = excluded.pid, record = excluded.record`,
    [r.id, r.name, r.datasetKey, r.recipe, r.backend, r.status, r.runDir, r.createdAt, r.startedAt ?? null, r.endedAt ?? null, r.pid ?? null, JSON.stringify(r)],
  );
}

export function getRun(q: Reader, id: string): RunRecord | undefined {
  return parse(q, q.get<RunRow>('SELECT id, record FROM runs WHERE id = ?', [id]));
}

export interface RunQuery {
  status?: RunStatus | RunStatus[];
  datasetKey?: string;
  limit?: number;
}

/** Newest first. Rows whose id is no folder name (a database changed by hand) are left out (`tunix-rt runs delete ID` removes them). */
export function listRuns(q: Reader, query: RunQuery = {}): RunRecord[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.status !== undefined) {
    const list = Array.isArray(query.status) ? query.status : [query.status];
    for (const s of list) if (!RUN_STATUSES.includes(s)) throw new UserError(`Unknown run status "${s}". Statuses: ${RUN_STATUSES.join(', ')}.`);
    where.push(`status IN (${list.map(() => '?').join(', ')})`);
    params.push(...list);
  }
  if (query.datasetKey !== undefined) {
    where.push('dataset_key = ?');
    params.push(query.datasetKey);
  }
  const sql = `SELECT id, record FROM runs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC${query.limit ? ` LIMIT ${Math.floor(query.limit)}` : ''}`;
  return q
    .all<RunRow>(sql, params)
    .filter((r) => isValidRunId(r.id))
    .map((r) => parse(q, r)!);
}

export function deleteRunRow(tx: Writer, id: string): boolean {
  return tx.run('DELETE FROM runs WHERE id = ?', [id]).changes > 0;
}

/** Finds a run by its full id or a unique prefix of it (the CLI accepts short ids). */
export function resolveRunId(q: Reader, idOrPrefix: string): string {
  const exact = q.get<{ id: string }>('SELECT id FROM runs WHERE id = ?', [idOrPrefix]);
  if (exact) return exact.id;
  const like = idOrPrefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
  const matches = q.all<{ id: string }>("SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY created_at DESC LIMIT 6", [like]);
  if (matches.length === 1) return matches[0].id;
  if (matches.length === 0) throw new UserError(`No run "${idOrPrefix}". List runs with \`tunix-rt runs list\`.`);
  throw new UserError(`"${idOrPrefix}" matches several runs (${matches.map((m) => m.id).join(', ')}${matches.length > 5 ? ', ...' : ''}); give more of the id.`);
}

export type { Store };
