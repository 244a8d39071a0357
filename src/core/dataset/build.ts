/**
 * Builds a dataset from the trace database: select (filters on meta, full-text query,
 * latest / random / all, limit), deduplicate, assign splits, compute stats, then store the
 * manifest in the database and in `<datasets root>/<key>/manifest.json`, in one step that
 * either completes or changes nothing.
 *
 * Random selection orders traces by a hash of (seed, id) instead of shuffling a list, so it
 * is reproducible without depending on the order rows come back in, and a trace added later
 * can displace a selected one but never reshuffle the rest.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import type { Store } from '../store';
import { VERSION } from '../version';
import { Deduper, DEDUP_MODES, type DedupMode, type DroppedDuplicate } from './dedup';
import { CancelledError } from './jsonlFile';
import { datasetKey, DATASET_SCHEMA_VERSION, manifestPath, SELECTION_STRATEGIES, type DatasetManifest, type MetaFilters, type SelectionStrategy } from './manifest';
import './schema';
import { assignSplit, DEFAULT_SPLITS, parseSplits, type SplitSpec } from './splits';
import { computeStats } from './stats';
import { loadTraces, matchingIds, type LoadedTrace } from './traceAccess';

export interface BuildOptions {
  name: string;
  version: string;
  /** The database file (the manifest folder is beside it). */
  databasePath: string;
  selection?: SelectionStrategy;
  /** Required for 'random'; also seeds the split hash (0 when absent). */
  seed?: number;
  /** At most this many traces (after dedup). Not allowed with 'all'. */
  limit?: number;
  filters?: MetaFilters;
  /** Full-text query over prompt, steps and answer. */
  query?: string;
  splits?: SplitSpec | string;
  dedup?: DedupMode;
  /** Replace an existing dataset of the same name and version. */
  overwrite?: boolean;
  /** Extra provenance recorded in the manifest (who built it, from where). */
  provenance?: Record<string, unknown>;
  signal?: AbortSignal;
  onProgress?: (p: BuildProgress) => void;
  /** For tests: fixed time and build id. */
  now?: () => Date;
  newBuildId?: () => string;
}

export interface BuildProgress {
  phase: 'selecting' | 'loading' | 'writing';
  /** Traces looked at / loaded so far. */
  done: number;
  total?: number;
}

export interface BuildResult {
  manifest: DatasetManifest;
  manifestPath: string;
  /** True when an existing dataset of the same key was replaced. */
  replaced: boolean;
}

const LOAD_BATCH = 1000;

function selectionHash(seed: number, id: string): string {
  return createHash('sha256').update(`select:${seed}:${id}`, 'utf8').digest('hex');
}

function checkOptions(o: BuildOptions): { selection: SelectionStrategy; spec: SplitSpec; dedupMode: DedupMode } {
  const selection = o.selection ?? 'latest';
  if (!SELECTION_STRATEGIES.includes(selection)) throw new UserError(`Unknown selection "${selection}"; use ${SELECTION_STRATEGIES.join(', ')}.`);
  if (selection === 'random' && o.seed === undefined) throw new UserError('Random selection needs a seed (--seed N), so the same dataset can be built again.');
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) throw new UserError(`The seed must be an integer, got ${o.seed}.`);
  if (o.limit !== undefined) {
    if (!Number.isInteger(o.limit) || o.limit < 1) throw new UserError(`The limit must be an integer >= 1, got ${o.limit}.`);
    if (selection === 'all') throw new UserError('--limit does not go with --selection all (which takes every matching trace); use latest or random to cap the size.');
  }
  const dedupMode = o.dedup ?? 'exact';
  if (!DEDUP_MODES.includes(dedupMode)) throw new UserError(`Unknown dedup mode "${dedupMode}"; use ${DEDUP_MODES.join(', ')}.`);
  const spec = typeof o.splits === 'string' ? parseSplits(o.splits) : (o.splits ?? parseSplits(DEFAULT_SPLITS));
  for (const [key, v] of Object.entries(o.filters ?? {})) {
    if (!key || key.includes('"')) throw new UserError(`Cannot filter on the meta key ${JSON.stringify(key)}: keys must be non-empty and free of double quotes.`);
    if (Array.isArray(v) && v.length === 0) throw new UserError(`The filter on "${key}" has no values.`);
  }
  return { selection, spec, dedupMode };
}

export interface ExistingDataset {
  dataset_key: string;
  created_at: string;
  trace_count: number;
}

export function findDataset(store: Store, key: string): ExistingDataset | undefined {
  return store.read((q) => q.get<ExistingDataset>('SELECT dataset_key, created_at, trace_count FROM datasets WHERE dataset_key = ?', [key]));
}

/** Picks the traces: matching, ordered by the strategy, deduplicated, capped at the limit. */
async function select(store: Store, o: BuildOptions, selection: SelectionStrategy, dedupMode: DedupMode) {
  // Between pages: let the event loop run (a VS Code progress bar, a cancel click) and stop if asked.
  const check = async () => {
    await new Promise((r) => setImmediate(r));
    if (o.signal?.aborted) throw new CancelledError();
  };
  const filters = o.filters ?? {};
  const limit = o.limit ?? Infinity;
  const kept: LoadedTrace[] = [];
  const dropped: DroppedDuplicate[] = [];
  // Dedup is incremental: candidates come in selection order and selection stops at the limit.
  const deduper = new Deduper(dedupMode);
  const offer = (batch: LoadedTrace[]) => {
    for (const t of batch) {
      if (kept.length >= limit) return;
      const why = deduper.offer({ id: t.id, contentHash: t.contentHash, prompt: t.record.prompt });
      if (why) dropped.push(why);
      else kept.push(t);
    }
  };
  let looked = 0;
  if (selection === 'random') {
    const ids: string[] = [];
    for (const page of matchingIds(store, filters, o.query, 'asc')) {
      await check();
      ids.push(...page);
      o.onProgress?.({ phase: 'selecting', done: ids.length });
    }
    const order = ids.map((id) => ({ id, h: selectionHash(o.seed!, id) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
    for (let k = 0; k < order.length && kept.length < limit; k += LOAD_BATCH) {
      await check();
      offer(loadTraces(store, order.slice(k, k + LOAD_BATCH).map((x) => x.id)));
      o.onProgress?.({ phase: 'loading', done: Math.min(k + LOAD_BATCH, order.length), total: order.length });
    }
  } else {
    for (const page of matchingIds(store, filters, o.query, selection === 'latest' ? 'desc' : 'asc')) {
      await check();
      offer(loadTraces(store, page));
      looked += page.length;
      o.onProgress?.({ phase: 'loading', done: looked });
      if (kept.length >= limit) break;
    }
  }
  return { kept, dropped };
}

function describeSelection(o: BuildOptions): string {
  const parts = Object.entries(o.filters ?? {}).map(([k, v]) => (Array.isArray(v) ? `${k} in [${v.join(', ')}]` : `${k}=${v}`));
  if (o.query) parts.push(`text "${o.query}"`);
  return parts.length ? parts.join(', ') : 'no filters';
}

export async function buildDataset(store: Store, o: BuildOptions): Promise<BuildResult> {
  const key = datasetKey(o.name, o.version);
  const { selection, spec, dedupMode } = checkOptions(o);
  const existing = findDataset(store, key);
  if (existing && !o.overwrite) {
    throw new UserError(
      `Dataset ${key} already exists (built ${existing.created_at}, ${existing.trace_count} traces). Datasets are immutable: ` +
        'build it under a new version, or ask for overwrite (--overwrite) to replace it.',
    );
  }

  const { kept, dropped } = await select(store, o, selection, dedupMode);
  if (!kept.length) {
    const total = store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM traces'))?.n ?? 0;
    throw new UserError(
      total === 0
        ? 'The database holds no traces yet. Import some first (tunix-rt import FILE --db PATH).'
        : `No traces match (${describeSelection(o)}) among the ${total} in the database. Loosen the filters or the query.`,
      1,
    );
  }

  const splitSeed = o.seed ?? 0;
  const items = kept.map((t, position) => ({ trace: t, position, split: assignSplit(t.id, splitSeed, spec) }));
  const splitNames = spec.ratios.map((r) => r.name);
  const splitIds: Record<string, string[]> = Object.fromEntries(splitNames.map((n) => [n, []]));
  for (const it of items) splitIds[it.split].push(it.trace.id);
  const now = (o.now ?? (() => new Date()))().toISOString();
  const buildId = (o.newBuildId ?? randomUUID)();
  const manifest: DatasetManifest = {
    dataset_key: key,
    build_id: buildId,
    dataset_name: o.name,
    dataset_version: o.version,
    dataset_schema_version: DATASET_SCHEMA_VERSION,
    created_at: now,
    filters: o.filters ?? {},
    selection_strategy: selection,
    seed: o.seed ?? null,
    trace_ids: kept.map((t) => t.id),
    trace_count: kept.length,
    stats: computeStats(
      items.map((it) => ({ split: it.split, record: it.trace.record })),
      splitNames,
    ),
    session_id: null,
    parent_dataset_id: null,
    training_run_id: null,
    provenance: {
      schema_version: '1.0',
      source: 'tunix-rt-vscode',
      tool_version: VERSION,
      build_timestamp: now,
      database: path.resolve(o.databasePath),
      trace_count: kept.length,
      selection_strategy: selection,
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...o.provenance,
    },
    query: o.query ?? null,
    limit: o.limit ?? null,
    dedup: { mode: dedupMode, dropped_count: dropped.length, dropped },
    splits: {
      seed: splitSeed,
      ratios: Object.fromEntries(spec.ratios.map((r) => [r.name, r.ratio])),
      counts: Object.fromEntries(splitNames.map((n) => [n, splitIds[n].length])),
      trace_ids: splitIds,
    },
  };

  // The file goes to a temporary name first and is renamed only once the database has the
  // dataset, so a failure on either side leaves neither a manifest without a dataset nor
  // a half-written file.
  o.onProgress?.({ phase: 'writing', done: kept.length, total: kept.length });
  const file = manifestPath(o.databasePath, key);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(manifest, null, 2) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new UserError(`Cannot write the manifest ${file}: ${(err as Error).message}.`);
  }
  let replaced = false;
  try {
    replaced = await store.write(
      (tx) => {
        // Checked again under the write lock: another process may have built the same key meanwhile.
        const exists = tx.get<{ n: number }>('SELECT count(*) AS n FROM datasets WHERE dataset_key = ?', [key])!.n > 0;
        if (exists && !o.overwrite) throw new UserError(`Dataset ${key} was built by another process meanwhile; build it under a new version or ask for overwrite.`);
        tx.run('DELETE FROM dataset_items WHERE dataset_key = ?', [key]);
        tx.run('DELETE FROM datasets WHERE dataset_key = ?', [key]);
        tx.run('INSERT INTO datasets (dataset_key, dataset_name, dataset_version, build_id, created_at, trace_count, manifest) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          key,
          o.name,
          o.version,
          buildId,
          now,
          kept.length,
          JSON.stringify(manifest),
        ]);
        for (const it of items) {
          tx.run('INSERT INTO dataset_items (dataset_key, position, trace_id, split, content_hash) VALUES (?, ?, ?, ?, ?)', [key, it.position, it.trace.id, it.split, it.trace.contentHash]);
        }
        return exists;
      },
      { purpose: `build dataset ${key}` },
    );
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.renameSync(tmp, file);
  return { manifest, manifestPath: file, replaced };
}
