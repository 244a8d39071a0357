// Message contract of the dataset stats webview (webview/datasetStats/main.tsx, hosted by
// src/extension/datasets/datasetStatsPanel.ts). The view data is built by core
// (src/core/dataset/statsView.ts) from the dataset's manifest. See src/shared/message.ts.
import type { DatasetStatsView } from '../core/dataset/statsViewTypes';
import type { MessageOf, ReadyMessage } from './message';

export const DATASET_STATS = { app: 'datasetStats', viewType: 'tunix.datasetStats' } as const;

export type { DatasetStatsView, StatsHistogram } from '../core/dataset/statsViewTypes';

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
