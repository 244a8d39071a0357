// The chart data core builds for the metrics panel (src/core/run/metricsView.ts) and the
// run comparison: kept in core so core depends on nothing above it; the webview contract
// (src/shared/metricsContract.ts) re-exports these types.

/** What the x axis shows: optimizer steps, time since the run's first metric, or wall-clock time. */
export type XAxisKind = 'step' | 'relative' | 'wall';

export interface XRange {
  min: number;
  max: number;
}

export interface ChartSeriesData {
  runId: string;
  metric: string;
  /** Legend label, e.g. "run-…-a1b2 · eval_loss". */
  label: string;
  /** Eval series draw dashed. */
  dashed: boolean;
  /** The line to draw (smoothed when smoothing > 0), decimated. */
  x: number[];
  y: number[];
  /** With smoothing: the raw values, decimated, drawn faint behind the smoothed line. */
  raw?: { x: number[]; y: number[] };
}

export interface ChartData {
  id: string;
  title: string;
  series: ChartSeriesData[];
  /** Points in the underlying series (before decimation) and points sent. */
  sourcePoints: number;
  sentPoints: number;
}

export interface MetricsViewSettings {
  xAxis: XAxisKind;
  /** TensorBoard-style EMA weight, 0 (raw) to 0.99. */
  smoothing: number;
}
