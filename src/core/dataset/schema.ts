// The datasets' tables, registered as the store's 'datasets' migration domain. A dataset is
// written once (a build) and never updated: rebuilding the same key replaces it whole.
import { registerMigrations } from '../store';

registerMigrations('datasets', [
  {
    version: 1,
    description: 'datasets and their items (trace id, split, content hash at build time)',
    up: `
CREATE TABLE datasets (
  dataset_key TEXT PRIMARY KEY,
  dataset_name TEXT NOT NULL,
  dataset_version TEXT NOT NULL,
  build_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  trace_count INTEGER NOT NULL,
  manifest TEXT NOT NULL
);
CREATE TABLE dataset_items (
  dataset_key TEXT NOT NULL,
  position INTEGER NOT NULL,
  trace_id TEXT NOT NULL,
  split TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  PRIMARY KEY (dataset_key, position)
) WITHOUT ROWID;
CREATE INDEX dataset_items_by_split ON dataset_items(dataset_key, split, position);
CREATE INDEX dataset_items_by_trace ON dataset_items(trace_id);
`,
  },
]);

/** Importing this module registers the schema; the store applies it on the next read or write. */
export const DATASETS_DOMAIN = 'datasets';
