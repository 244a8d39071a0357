// Message contract of the training metrics webview (webview/metrics/main.tsx, hosted by
// src/extension/runs/metricsPanel.ts). The chart data is built by core
// (src/core/run/metricsView.ts): smoothed and min/max-decimated in the extension host, so
// the webview draws a few thousand points per series however long the run. See message.ts.
import type { ChartData, MetricsViewSettings, XAxisKind, XRange } from '../core/run/chartTypes';
import type { MessageOf, ReadyMessage } from './message';

export const METRICS_PANEL = { app: 'metrics', viewType: 'tunix.metrics' } as const;

export type { ChartData, ChartSeriesData, MetricsViewSettings, XAxisKind, XRange } from '../core/run/chartTypes';
export const X_AXIS_KINDS: readonly XAxisKind[] = ['step', 'relative', 'wall'];

/** A run as the legend shows it. */
export interface MetricsRunInfo {
  id: string;
  name: string;
  status: string;
  /** "step 120/1000 · loss 0.83 · 3 min left", or how it ended. */
  description: string;
  /** Stable per panel: the run's colour is palette[colorIndex % palette.length]. */
  colorIndex: number;
  /** Points read so far (all series). */
  points: number;
  /** Lines of its metrics file that could not be read, with why (first few). */
  skipped: Array<{ line: number; reason: string }>;
}

/** Extension host -> webview. */
export type MetricsToWebview = MessageOf<{
  /** Everything to draw: replaces what the webview shows. */
  show: {
    runs: MetricsRunInfo[];
    charts: ChartData[];
    view: MetricsViewSettings;
    /** The zoomed x range the data was decimated for (none: everything). */
    range?: XRange;
    /** Sequence number: the webview ignores a show older than the last it drew. */
    seq: number;
    /** Milliseconds the host spent building this show (smoothing + decimation). */
    buildMs: number;
  };
  /** Only the legend changed (status, progress). */
  runs: { runs: MetricsRunInfo[] };
  /** The runs could not be loaded; `message` says why. */
  failed: { message: string };
}>;

/** Webview -> extension host. */
export type MetricsFromWebview =
  | ReadyMessage
  | MessageOf<{
      /** Axis, smoothing or chart width changed. `buckets` is about the plot's width in pixels. */
      setView: MetricsViewSettings & { buckets: number; runIds?: string[] };
      /** Zoomed in (a range) or reset (no range): the host re-decimates at full resolution there. */
      zoom: { range?: XRange };
      openLog: { runId: string };
      /** Removes a run from the panel. */
      removeRun: { runId: string };
    }>;

/** What the webview keeps with vscode.setState (survives hide/show and window reloads). */
export interface MetricsState {
  runIds?: string[];
  xAxis?: XAxisKind;
  smoothing?: number;
  /** Chart ids drawn with a logarithmic y axis. */
  logScale?: string[];
  /** Run ids hidden in the charts (still listed). */
  hidden?: string[];
  range?: XRange;
}
