// The metrics panel's data model: every point of every shown run, kept in typed arrays per
// (run, metric), appended to as the files grow, and turned into chart data on demand:
// x by step or time, EMA smoothing (kept incrementally), min/max decimation for the width
// in pixels (or a zoomed range at full resolution). Pure: no vscode, no files.
import type { ChartData, ChartSeriesData, MetricsViewSettings, XAxisKind, XRange } from './chartTypes';
import { decimateMinMax, lowerBound, StreamingMinMax, type DecimatedSeries } from './decimate';
import type { MetricPoint } from './metricsReader';

/** A growable column of float64. */
class Column {
  data = new Float64Array(256);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

interface Smoothed {
  weight: number;
  /** Points of the series already smoothed into `out`. */
  done: number;
  last: number;
  wPow: number;
  out: Float64Array;
}

/** One metric of one run: step, time (ms, NaN when unknown) and value, sorted by step. */
export class MetricColumn {
  readonly steps = new Column();
  readonly times = new Column();
  readonly values = new Column();
  private smoothed: Smoothed | undefined;
  /** Bumped on every change, so cached views know to rebuild. */
  version = 0;
  /** Bumped when points are replaced (a resumed run): incremental state must start over. */
  resets = 0;
  private readonly streams = new Map<string, { resets: number; dec: StreamingMinMax }>();

  get length(): number {
    return this.values.length;
  }

  append(step: number, time: number, value: number): void {
    const n = this.steps.length;
    // A resumed run repeats the steps after its checkpoint: the new values replace the old.
    if (n && step <= this.steps.data[n - 1]) this.truncate(lowerBound(this.steps.view(), step));
    this.steps.push(step);
    this.times.push(time);
    this.values.push(value);
    this.version++;
  }

  private truncate(n: number): void {
    this.steps.length = this.times.length = this.values.length = n;
    if (this.smoothed && this.smoothed.done > n) this.smoothed = undefined;
    this.resets++;
  }

  /**
   * The whole series decimated for `target` buckets, kept up to date incrementally between
   * calls (live updates cost the new points, not the whole series). `key` names the view
   * (axis, smoothing, origin); x and y are read through the accessors.
   */
  decimateLive(key: string, target: number, xAt: (i: number) => number, yAt: (i: number) => number): DecimatedSeries {
    const k = `${key}|${target}`;
    let entry = this.streams.get(k);
    if (!entry || entry.resets !== this.resets) {
      if (this.streams.size >= 8) this.streams.clear();
      entry = { resets: this.resets, dec: new StreamingMinMax(target) };
      this.streams.set(k, entry);
    }
    entry.dec.update(this.length, xAt, yAt);
    return entry.dec.points(xAt, yAt);
  }

  /** The TensorBoard EMA of the values, extended incrementally as points arrive. */
  smooth(weight: number): Float64Array {
    const w = Math.min(Math.max(weight, 0), 0.999);
    const n = this.values.length;
    let s = this.smoothed;
    if (!s || s.weight !== w) s = this.smoothed = { weight: w, done: 0, last: 0, wPow: 1, out: new Float64Array(Math.max(256, n)) };
    if (s.out.length < n) {
      const grown = new Float64Array(Math.max(n, s.out.length * 2));
      grown.set(s.out.subarray(0, s.done));
      s.out = grown;
    }
    const v = this.values.data;
    for (let i = s.done; i < n; i++) {
      const y = v[i];
      if (!Number.isFinite(y)) {
        s.out[i] = y;
        continue;
      }
      s.last = s.last * w + (1 - w) * y;
      s.wPow *= w;
      s.out[i] = w === 0 ? y : s.last / (1 - s.wPow);
    }
    s.done = n;
    return s.out.subarray(0, n);
  }
}

/** All metrics of one run. */
export class RunSeries {
  readonly metrics = new Map<string, MetricColumn>();
  /** The earliest timestamp seen (the origin of relative time). */
  firstTime = Infinity;
  points = 0;

  /** Appends points; returns the names of metrics seen for the first time. */
  append(points: readonly MetricPoint[]): Set<string> {
    const changed = new Set<string>();
    for (const p of points) {
      const time = p.time ?? NaN;
      if (time < this.firstTime) this.firstTime = time;
      const values = p.values;
      for (const name in values) {
        let col = this.metrics.get(name);
        if (!col) {
          this.metrics.set(name, (col = new MetricColumn()));
          changed.add(name);
        }
        col.append(p.step, time, values[name]);
      }
      this.points++;
    }
    return changed;
  }

  clear(): void {
    this.metrics.clear();
    this.firstTime = Infinity;
    this.points = 0;
  }
}

interface ChartSpec {
  id: string;
  title: string;
  metrics: string[];
}

const KNOWN_CHARTS: ChartSpec[] = [
  { id: 'loss', title: 'Loss (eval dashed)', metrics: ['loss', 'eval_loss'] },
  { id: 'learning_rate', title: 'Learning rate', metrics: ['learning_rate'] },
  { id: 'tokens_per_second', title: 'Throughput (tokens/s)', metrics: ['tokens_per_second'] },
  { id: 'examples_per_second', title: 'Throughput (examples/s)', metrics: ['examples_per_second', 'train_samples_per_second'] },
  { id: 'grad_norm', title: 'Gradient norm', metrics: ['grad_norm'] },
  { id: 'eval_accuracy', title: 'Eval accuracy', metrics: ['eval_accuracy'] },
];
const UNSMOOTHED = /^(eval_|learning_rate$)/;
/** Series that are coordinates or bookkeeping, not worth a chart of their own. */
const NO_CHART = new Set(['elapsed', 'epoch', 'train_runtime', 'total_flos', 'memory.tensors']);
const MAX_CHARTS = 12;

/** The charts for the metrics present: the known ones first, then one per other metric. */
export function chartSpecs(present: ReadonlySet<string>): ChartSpec[] {
  const specs: ChartSpec[] = [];
  const used = new Set<string>();
  for (const spec of KNOWN_CHARTS) {
    const metrics = spec.metrics.filter((m) => present.has(m));
    if (!metrics.length) continue;
    specs.push({ ...spec, metrics });
    metrics.forEach((m) => used.add(m));
  }
  for (const m of [...present].sort()) {
    if (used.has(m) || NO_CHART.has(m) || specs.length >= MAX_CHARTS) continue;
    specs.push({ id: m, title: m.replace(/_/g, ' '), metrics: [m] });
  }
  return specs;
}

export interface BuildOptions extends MetricsViewSettings {
  /** Buckets per series (about the chart's width in pixels). */
  buckets: number;
  range?: XRange;
  /** Run labels for the legend text of series. */
  labels?: Map<string, string>;
}

/** The x values of a column for an axis (seconds for time axes, as uPlot's time scale wants). */
function xValues(col: MetricColumn, axis: XAxisKind, firstTime: number): { x: Float64Array; keep?: Uint8Array } {
  const n = col.length;
  if (axis === 'step') return { x: col.steps.view() };
  const t = col.times.data;
  const x = new Float64Array(n);
  const origin = axis === 'relative' ? firstTime : 0;
  for (let i = 0; i < n; i++) x[i] = (t[i] - origin) / 1000;
  return { x };
}

/** Drops points without an x (no timestamp) and sorts by x when needed (clock jumps). */
function cleanXY(x: Float64Array, y: ArrayLike<number>): { x: Float64Array; y: Float64Array } {
  const n = x.length;
  let finite = 0;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i])) {
      finite++;
      if (i > 0 && x[i] < x[i - 1]) sorted = false;
    }
  }
  if (finite === n && sorted) return { x, y: y instanceof Float64Array ? y : Float64Array.from(y) };
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(x[i])) idx.push(i);
  if (!sorted) idx.sort((a, b) => x[a] - x[b]);
  return { x: Float64Array.from(idx, (i) => x[i]), y: Float64Array.from(idx, (i) => y[i]) };
}

/** x of point i of a column on an axis (seconds for the time axes, as uPlot's time scale wants). */
function xAccessor(col: MetricColumn, axis: XAxisKind, firstTime: number): (i: number) => number {
  if (axis === 'step') {
    const steps = col.steps;
    return (i) => steps.data[i];
  }
  const times = col.times;
  const origin = axis === 'relative' ? firstTime : 0;
  return (i) => (times.data[i] - origin) / 1000;
}

function liveSeries(col: MetricColumn, axis: XAxisKind, firstTime: number, smoothing: number, target: number): { line: DecimatedSeries; raw?: DecimatedSeries; count: number } {
  const xAt = xAccessor(col, axis, firstTime);
  const values = col.values;
  const rawAt = (i: number) => values.data[i];
  // Points without an x (no timestamp on a time axis) are skipped by the decimator.
  const count = axis === 'step' ? col.length : countFinite(col.times.view());
  const key = `${axis}|${axis === 'relative' ? firstTime : ''}`;
  const raw = col.decimateLive(`${key}|raw`, target, xAt, rawAt);
  if (smoothing <= 0) return { line: raw, count };
  const sm = col.smooth(smoothing);
  const line = col.decimateLive(`${key}|ema${smoothing}`, target, xAt, (i) => sm[i]);
  return { line, raw, count };
}

function countFinite(a: Float64Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) n++;
  return n;
}

/** Builds every chart's data for the runs, in the runs' order. */
export function buildCharts(runs: ReadonlyArray<{ id: string; series: RunSeries }>, o: BuildOptions): ChartData[] {
  const present = new Set<string>();
  for (const r of runs) for (const [m, col] of r.series.metrics) if (col.length) present.add(m);
  const charts: ChartData[] = [];
  for (const spec of chartSpecs(present)) {
    const series: ChartSeriesData[] = [];
    let sourcePoints = 0;
    let sentPoints = 0;
    for (const run of runs) {
      for (const metric of spec.metrics) {
        const col = run.series.metrics.get(metric);
        if (!col || !col.length) continue;
        // Eval points are sparse and the learning rate is a schedule, not noise: drawn as they are.
        const smoothing = o.smoothing > 0 && !UNSMOOTHED.test(metric) ? o.smoothing : 0;
        const label = `${o.labels?.get(run.id) ?? run.id} · ${metric}`;
        const dashed = metric.startsWith('eval_');
        if (!o.range) {
          // The whole run: incremental decimation (live updates stay cheap at a million points).
          const live = liveSeries(col, o.xAxis, run.series.firstTime, smoothing, Math.max(1, Math.ceil(o.buckets / 2)));
          if (!live.line.x.length) continue;
          sourcePoints += live.count;
          sentPoints += live.line.x.length + (live.raw?.x.length ?? 0);
          series.push({ runId: run.id, metric, label, dashed, x: live.line.x, y: live.line.y, ...(live.raw ? { raw: live.raw } : {}) });
          continue;
        }
        const { x: xAll } = xValues(col, o.xAxis, run.series.firstTime);
        const rawAll = col.values.view();
        const raw = cleanXY(xAll, rawAll);
        if (!raw.x.length) continue;
        sourcePoints += raw.x.length;
        const decimate = (y: ArrayLike<number>) => decimateMinMax({ x: raw.x, y }, { buckets: o.buckets, xMin: o.range?.min, xMax: o.range?.max, includeNeighbours: true });
        if (smoothing > 0) {
          const sm = cleanXY(xAll, col.smooth(smoothing));
          const line = decimateMinMax({ x: sm.x, y: sm.y }, { buckets: o.buckets, xMin: o.range?.min, xMax: o.range?.max, includeNeighbours: true });
          const faint = decimate(raw.y);
          sentPoints += line.x.length + faint.x.length;
          series.push({ runId: run.id, metric, label, dashed, x: line.x, y: line.y, raw: faint });
        } else {
          const line = decimate(raw.y);
          sentPoints += line.x.length;
          series.push({ runId: run.id, metric, label, dashed, x: line.x, y: line.y });
        }
      }
    }
    if (series.length) charts.push({ id: spec.id, title: spec.title, series, sourcePoints, sentPoints });
  }
  return charts;
}
