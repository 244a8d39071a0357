// What the dataset stats panel shows, built by core (src/core/dataset/statsView.ts): kept in
// core so core depends on nothing above it; src/shared/datasetStatsContract.ts re-exports it.

export interface StatsHistogram {
  /** Inclusive bounds of each bin. */
  bins: Array<{ lo: number; hi: number }>;
  /** Per split, one count per bin. */
  counts: Record<string, number[]>;
}

export interface DatasetStatsView {
  datasetKey: string;
  name: string;
  version: string;
  buildId: string;
  createdAt: string;
  traceCount: number;
  selection: string;
  seed: number | null;
  /** "key = value" and "key in [a, b]" lines, plus the full-text query. */
  criteria: string[];
  dedup: { mode: string; dropped: number };
  summary: { avgSteps: number; minSteps: number; maxSteps: number; avgTotalChars: number };
  /** In the order of the split spec. */
  splits: Array<{ name: string; ratio: number; count: number }>;
  /** Most frequent first. */
  categories: Array<{ name: string; total: number; bySplit: Record<string, number> }>;
  stepHistogram: StatsHistogram;
  lengthHistogram: StatsHistogram;
  /** Traces of the dataset no longer in the database (deleted after the build). */
  missing: number;
}
