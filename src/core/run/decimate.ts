// Min/max decimation of a metric series before it reaches the chart, so a million points
// draw as fast as a few thousand. Per x-bucket it keeps the first, minimum, maximum and last
// point in x order (the M4 scheme): a line drawn through them covers exactly the pixels the
// full series would, so spikes (a loss blow-up) never vanish, unlike every-Nth sampling.

export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface DecimatedSeries {
  x: number[];
  y: number[];
}

/** Index of the first element of the sorted `xs` that is >= `value` (binary search). */
export function lowerBound(xs: ArrayLike<number>, value: number, lo = 0, hi = xs.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index just after the last element of the sorted `xs` that is <= `value`. */
export function upperBound(xs: ArrayLike<number>, value: number, lo = 0, hi = xs.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface DecimateOptions {
  /** How many x-buckets (about the chart's width in pixels); each yields at most 4 points. */
  buckets: number;
  /** Only points with xMin <= x <= xMax (zoom); the defaults take the whole series. */
  xMin?: number;
  xMax?: number;
  /** Keep one point on each side of the range so lines run to the chart's edges. */
  includeNeighbours?: boolean;
}

/**
 * Decimates a series sorted by x. Non-finite y values are dropped. When the range holds
 * no more than 4 points per bucket, every point is returned unchanged.
 */
export function decimateMinMax(series: Series, options: DecimateOptions): DecimatedSeries {
  const { x, y } = series;
  const n = Math.min(x.length, y.length);
  let start = options.xMin === undefined ? 0 : lowerBound(x, options.xMin, 0, n);
  let end = options.xMax === undefined ? n : upperBound(x, options.xMax, 0, n);
  if (options.includeNeighbours) {
    if (start > 0) start--;
    if (end < n) end++;
  }
  const out: DecimatedSeries = { x: [], y: [] };
  if (end <= start) return out;
  const buckets = Math.max(1, Math.floor(options.buckets));
  if (end - start <= buckets * 4) {
    for (let i = start; i < end; i++) {
      const v = y[i];
      if (Number.isFinite(v)) {
        out.x.push(x[i]);
        out.y.push(v);
      }
    }
    return out;
  }
  const x0 = x[start];
  const span = x[end - 1] - x0;
  // Equal-width buckets in x (not in index): gaps in x stay gaps, as they would on screen.
  const width = span > 0 ? span / buckets : 1;
  const last = buckets - 1;
  const bucketOf = (v: number) => Math.min(last, Math.floor((v - x0) / width));
  let i = start;
  while (i < end) {
    // Bucket membership is computed, not compared against a boundary, so float rounding
    // can never leave a point in no bucket.
    const bucket = bucketOf(x[i]);
    let first = -1;
    let lastI = -1;
    let minI = -1;
    let maxI = -1;
    for (; i < end && bucketOf(x[i]) === bucket; i++) {
      const v = y[i];
      if (!Number.isFinite(v)) continue;
      if (first === -1) {
        first = minI = maxI = i;
      } else {
        if (v < y[minI]) minI = i;
        if (v > y[maxI]) maxI = i;
      }
      lastI = i;
    }
    if (first === -1) continue;
    // Emit the (up to) four distinct indices in x order.
    const picks = [first, minI, maxI, lastI].sort((a, b) => a - b);
    let prev = -1;
    for (const p of picks) {
      if (p !== prev) {
        out.x.push(x[p]);
        out.y.push(y[p]);
        prev = p;
      }
    }
  }
  return out;
}
