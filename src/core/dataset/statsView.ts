// Builds the dataset stats webview's data from a manifest (no SQL in views: core decides).
import type { DatasetStatsView } from './statsViewTypes';
import type { DatasetManifest } from './manifest';

/** Human-readable lines for the build criteria. */
export function describeCriteria(manifest: Pick<DatasetManifest, 'filters' | 'query' | 'limit' | 'selection_strategy' | 'seed'>): string[] {
  const lines = Object.entries(manifest.filters).map(([k, v]) => (Array.isArray(v) ? `${k} in [${v.join(', ')}]` : `${k} = ${v}`));
  if (manifest.query) lines.push(`text matches "${manifest.query}"`);
  if (manifest.limit !== null) lines.push(`at most ${manifest.limit} traces`);
  return lines;
}

export function datasetStatsView(manifest: DatasetManifest, missing = 0): DatasetStatsView {
  const s = manifest.stats;
  const splitNames = Object.keys(manifest.splits.ratios);
  return {
    datasetKey: manifest.dataset_key,
    name: manifest.dataset_name,
    version: manifest.dataset_version,
    buildId: manifest.build_id,
    createdAt: manifest.created_at,
    traceCount: manifest.trace_count,
    selection: manifest.selection_strategy,
    seed: manifest.seed,
    criteria: describeCriteria(manifest),
    dedup: { mode: manifest.dedup.mode, dropped: manifest.dedup.dropped_count },
    summary: { avgSteps: s.avg_step_count, minSteps: s.min_step_count, maxSteps: s.max_step_count, avgTotalChars: s.avg_total_chars },
    splits: splitNames.map((name) => ({ name, ratio: manifest.splits.ratios[name], count: manifest.splits.counts[name] ?? 0 })),
    categories: Object.entries(s.by_category).map(([name, total]) => ({
      name,
      total,
      bySplit: Object.fromEntries(splitNames.map((split) => [split, s.by_split_category[split]?.[name] ?? 0])),
    })),
    stepHistogram: s.step_count_histogram,
    lengthHistogram: s.total_chars_histogram,
    missing,
  };
}
