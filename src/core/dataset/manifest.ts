/**
 * The dataset manifest: tunix-rt's fields (dataset_key ... provenance, in its order) plus
 * ours: the full-text query, limit, dedup and the split assignments. Stored in the database
 * and written to `<datasets folder>/<key>/manifest.json`.
 */
import * as path from 'node:path';
import { UserError } from '../errors';
import { assertRealInside } from '../env/confine';
import { confinedJoin } from '../env/paths';
import type { DedupMode, DroppedDuplicate } from './dedup';
import type { DatasetStats } from './stats';

export const DATASET_SCHEMA_VERSION = '1.0';
export type SelectionStrategy = 'latest' | 'random' | 'all';
export const SELECTION_STRATEGIES: readonly SelectionStrategy[] = ['latest', 'random', 'all'];

/** Filters on meta keys: a value means equals, an array means one of. */
export type MetaFilters = Record<string, string | string[]>;

export interface DatasetManifest {
  dataset_key: string;
  build_id: string;
  dataset_name: string;
  dataset_version: string;
  dataset_schema_version: string;
  created_at: string;
  filters: MetaFilters;
  selection_strategy: SelectionStrategy;
  seed: number | null;
  trace_ids: string[];
  trace_count: number;
  stats: DatasetStats;
  session_id: string | null;
  parent_dataset_id: string | null;
  training_run_id: string | null;
  provenance: Record<string, unknown>;
  /** Full-text query the traces had to match (null: none). */
  query: string | null;
  limit: number | null;
  dedup: { mode: DedupMode; dropped_count: number; dropped: DroppedDuplicate[] };
  splits: {
    /** The seed of the split hash (the build's seed, 0 when none was given). */
    seed: number;
    ratios: Record<string, number>;
    counts: Record<string, number>;
    /** Trace ids of each split, in manifest order. */
    trace_ids: Record<string, string[]>;
  };
}

const NAME_MAX = 128;
const VERSION_MAX = 64;
const KEY_PART = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/**
 * tunix-rt's dataset key, `{name}-{version}` with spaces and slashes made underscores. We
 * also refuse anything that is not a plain file name (the key names a folder on disk).
 */
export function datasetKey(name: string, version: string): string {
  const clean = (value: string, what: string, max: number) => {
    const v = value.trim().replace(/[ /\\]/g, '_');
    if (!v) throw new UserError(`The dataset ${what} is empty.`);
    if (v.length > max) throw new UserError(`The dataset ${what} "${value}" is longer than ${max} characters.`);
    if (!KEY_PART.test(v)) {
      throw new UserError(`The dataset ${what} "${value}" may use only letters, digits and . _ + - (starting with a letter or digit), because it names a folder.`);
    }
    return v;
  };
  return `${clean(name, 'name', NAME_MAX)}-${clean(version, 'version', VERSION_MAX)}`;
}

/** Where datasets' folders live: `datasets/` beside the database (`.tunix/datasets/` by default). */
export function datasetsRoot(databasePath: string): string {
  return path.join(path.dirname(path.resolve(databasePath)), 'datasets');
}

/** `<datasets root>/<key>`, refusing keys that would leave the root, by name or through a link. */
export function datasetDir(databasePath: string, key: string): string {
  let dir: string;
  try {
    dir = confinedJoin(datasetsRoot(databasePath), key);
  } catch (err) {
    throw new UserError(`Dataset key "${key}" is not a plain folder name: ${(err as Error).message}`);
  }
  assertRealInside(path.dirname(path.resolve(databasePath)), datasetsRoot(databasePath), 'The datasets folder');
  assertRealInside(datasetsRoot(databasePath), dir, 'The dataset folder');
  return dir;
}

export function manifestPath(databasePath: string, key: string): string {
  return path.join(datasetDir(databasePath, key), 'manifest.json');
}
