// Message contract of the dataset stats webview (webview/datasetStats/main.tsx, hosted by
// src/extension/datasets/datasetStatsPanel.ts). The view data is built by core
// (src/core/dataset/statsView.ts) from the dataset's manifest. See src/shared/message.ts.
import type { MessageOf, ReadyMessage } from './message';

export const DATASET_STATS = { app: 'datasetStats', viewType: 'tunix.datasetStats' } as const;

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

/** Extension host -> webview. */
export type DatasetStatsToWebview = MessageOf<{
  show: { stats: DatasetStatsView };
  /** The dataset could not be loaded (deleted, database unreadable); `message` says why. */
  failed: { message: string };
}>;

/** Webview -> extension host. */
export type DatasetStatsFromWebview =
  | ReadyMessage
  | MessageOf<{
      exportDataset: { datasetKey: string };
      openManifest: { datasetKey: string };
    }>;

export interface DatasetStatsState {
  datasetKey?: string;
  /** Which histogram measure is shown: steps or characters. */
  histogram?: 'steps' | 'chars';
}
