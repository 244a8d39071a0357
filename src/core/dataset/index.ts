/**
 * Datasets: versioned, immutable selections of traces with deterministic splits, a manifest,
 * and exports in training formats.
 *
 *   import { buildDataset, exportDataset, datasetTraces, getManifest } from '../dataset';
 *   const { manifest } = await buildDataset(store, { name: 'demo', version: 'v1', databasePath: store.path, seed: 1 });
 *   await exportDataset(store, { key: 'demo-v1', format: 'tunix_sft', split: 'train', out: 'train.jsonl' });
 *   for await (const t of datasetTraces(store, 'demo-v1', 'test')) ... // {id, split, createdAt, record}
 *
 * - Key: `name-version` (tunix-rt's). Building an existing key throws unless `overwrite`.
 * - Selection: 'latest' (newest import first), 'random' (needs a seed; ordered by a hash of
 *   (seed, id)), 'all'; `limit`; meta `filters` ({key: value | [values]}); full-text `query`.
 * - Dedup: 'exact' (content hash, default), 'near' (normalized prompt), 'none'.
 * - Splits: `train=0.8,val=0.1,test=0.1` by default; a trace's split is a function of
 *   (seed, trace id) alone, so it never changes when other traces come or go.
 * - Manifest: tunix-rt's fields + query, limit, dedup, splits {seed, ratios, counts,
 *   trace_ids per split}; in the `datasets` table and in `<db folder>/datasets/<key>/manifest.json`.
 * - Exports: EXPORT_FORMATS (trace, tunix_sft, training_example, messages, eval_items), one
 *   JSON object per line in manifest order, Python-json.dumps layout; deleted traces are
 *   returned in `missing`, never silently dropped.
 */
export { buildDataset, findDataset, type BuildOptions, type BuildProgress, type BuildResult } from './build';
export { exportDataset, datasetTraces, type ExportOptions, type ExportResult } from './export';
export { EXPORT_FORMATS, EXPORT_FORMAT_SUMMARIES, exportLine, exportObject, parseExportFormat, type ExportFormat, type ExportTrace } from './formats';
export { datasetKey, datasetDir, datasetsRoot, manifestPath, SELECTION_STRATEGIES, type DatasetManifest, type MetaFilters, type SelectionStrategy } from './manifest';
export { deleteDataset, getDatasetSummary, getManifest, listDatasets, missingTraces, type DatasetSummary } from './repository';
export { assignSplit, DEFAULT_SPLITS, parseSplits, type SplitSpec } from './splits';
export { DEDUP_MODES, normalizePrompt, type DedupMode } from './dedup';
export { computeStats, type DatasetStats } from './stats';
export { CancelledError, writeLinesAtomically } from './jsonlFile';
