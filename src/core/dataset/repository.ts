// Reading and deleting built datasets. (Building is build.ts; a dataset is never updated.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import type { Store } from '../store';
import { manifestPath, type DatasetManifest } from './manifest';
import './schema';

/** The columns of the datasets table that a summary shows as they are. */
interface DatasetColumns {
  dataset_key: string;
  dataset_name: string;
  dataset_version: string;
  build_id: string;
  created_at: string;
  trace_count: number;
}

export interface DatasetSummary extends DatasetColumns {
  /** Trace count per split, in split order. */
  splits: Record<string, number>;
  selection_strategy: string;
  seed: number | null;
}

interface DatasetRow extends DatasetColumns {
  manifest: string;
}

/** Just the shared columns (a row read with `SELECT *` or extra columns carries more). */
function columns(row: DatasetColumns): DatasetColumns {
  return {
    dataset_key: row.dataset_key,
    dataset_name: row.dataset_name,
    dataset_version: row.dataset_version,
    build_id: row.build_id,
    created_at: row.created_at,
    trace_count: row.trace_count,
  };
}

function summary(row: DatasetRow, manifest: DatasetManifest): DatasetSummary {
  return { ...columns(row), splits: manifest.splits.counts, selection_strategy: manifest.selection_strategy, seed: manifest.seed };
}

/** Every dataset, newest first. */
export function listDatasets(store: Store): DatasetSummary[] {
  // Split counts live in the manifest; reading it whole per row is fine for the tens of
  // datasets a workspace has (json_extract keeps the big trace id lists out of JS).
  const rows = store.read((q) =>
    q.all<DatasetRow & { counts: string; selection: string; seed: number | null }>(
      `SELECT dataset_key, dataset_name, dataset_version, build_id, created_at, trace_count,
              json_extract(manifest, '$.splits.counts') AS counts, json_extract(manifest, '$.selection_strategy') AS selection,
              json_extract(manifest, '$.seed') AS seed
       FROM datasets ORDER BY created_at DESC, dataset_key`,
    ),
  );
  return rows.map((r) => ({
    ...columns(r),
    splits: JSON.parse(r.counts ?? '{}') as Record<string, number>,
    selection_strategy: r.selection,
    seed: r.seed,
  }));
}

function notFound(store: Store, key: string): UserError {
  const keys = store.read((q) => q.all<{ dataset_key: string }>('SELECT dataset_key FROM datasets ORDER BY created_at DESC LIMIT 10')).map((r) => r.dataset_key);
  return new UserError(`No dataset "${key}" in ${store.path}. ${keys.length ? `Datasets: ${keys.join(', ')}.` : 'Build one first (tunix-rt dataset build).'}`);
}

export function getManifest(store: Store, key: string): DatasetManifest {
  const row = store.read((q) => q.get<DatasetRow>('SELECT * FROM datasets WHERE dataset_key = ?', [key]));
  if (!row) throw notFound(store, key);
  return JSON.parse(row.manifest) as DatasetManifest;
}

export function getDatasetSummary(store: Store, key: string): DatasetSummary {
  const row = store.read((q) => q.get<DatasetRow>('SELECT * FROM datasets WHERE dataset_key = ?', [key]));
  if (!row) throw notFound(store, key);
  return summary(row, JSON.parse(row.manifest) as DatasetManifest);
}

/** Items whose trace is gone from the database, or was replaced by other content under the same id. */
export function missingTraces(store: Store, key: string): { missing: string[]; changed: string[] } {
  const rows = store.read((q) =>
    q.all<{ trace_id: string; gone: number }>(
      `SELECT i.trace_id, t.id IS NULL AS gone FROM dataset_items i LEFT JOIN traces t ON t.id = i.trace_id
       WHERE i.dataset_key = ? AND (t.id IS NULL OR t.content_hash <> i.content_hash) ORDER BY i.position`,
      [key],
    ),
  );
  return { missing: rows.filter((r) => r.gone).map((r) => r.trace_id), changed: rows.filter((r) => !r.gone).map((r) => r.trace_id) };
}

/**
 * Deletes a dataset from the database and its manifest.json (the folder too when nothing
 * else is in it; exports a user put there stay). Traces are not touched.
 */
export async function deleteDataset(store: Store, databasePath: string, key: string): Promise<{ manifestRemoved: boolean }> {
  const removed = await store.write(
    (tx) => {
      tx.run('DELETE FROM dataset_items WHERE dataset_key = ?', [key]);
      return tx.run('DELETE FROM datasets WHERE dataset_key = ?', [key]).changes;
    },
    { purpose: `delete dataset ${key}` },
  );
  if (!removed) throw notFound(store, key);
  const file = manifestPath(databasePath, key);
  let manifestRemoved = false;
  if (fs.existsSync(file)) {
    fs.rmSync(file);
    manifestRemoved = true;
    const dir = path.dirname(file);
    if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
  return { manifestRemoved };
}
