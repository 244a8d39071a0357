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

/**
 * The same min/max decimation kept up to date as points are appended, for live charts: each
 * new point updates one bucket, so a live update costs O(new points + buckets), not O(all
 * points). Buckets have a power-of-two width in x from the first point; when the series
 * outgrows 2 x `target` buckets the width doubles and neighbouring buckets merge (exactly:
 * first, min, max and last of a merged bucket follow from its two halves).
 */
export class StreamingMinMax {
  private width = 0;
  private origin = NaN;
  /** Per bucket: its index k on the grid and the source indices of its first, min, max, last points. */
  private readonly k: number[] = [];
  private readonly first: number[] = [];
  private readonly min: number[] = [];
  private readonly max: number[] = [];
  private readonly last: number[] = [];
  /** Source points consumed so far. */
  consumed = 0;

  constructor(private readonly target: number) {}

  /** Consumes points [consumed, n) of the source, read through xAt/yAt (sorted by x). */
  update(n: number, xAt: (i: number) => number, yAt: (i: number) => number): void {
    for (let i = this.consumed; i < n; i++) {
      const x = xAt(i);
      const y = yAt(i);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (Number.isNaN(this.origin)) {
        this.origin = x;
        // A first guess from what is there already; doubling takes care of growth.
        const span = n > 1 ? xAt(n - 1) - x : 0;
        this.width = span > 0 && Number.isFinite(span) ? 2 ** Math.ceil(Math.log2(span / this.target)) : 1;
      }
      let k = Math.floor((x - this.origin) / this.width);
      const b = this.k.length - 1;
      // A point before the last bucket (a clock that went back) joins the last bucket.
      if (b >= 0 && k < this.k[b]) k = this.k[b];
      if (b >= 0 && this.k[b] === k) {
        if (y < yAt(this.min[b])) this.min[b] = i;
        if (y > yAt(this.max[b])) this.max[b] = i;
        this.last[b] = i;
      } else {
        this.k.push(k);
        this.first.push(i);
        this.min.push(i);
        this.max.push(i);
        this.last.push(i);
        while (this.k[this.k.length - 1] - this.k[0] + 1 > 2 * this.target) this.coarsen(yAt);
      }
    }
    this.consumed = n;
  }

  /** Doubles the bucket width, merging buckets that now share a grid cell. */
  private coarsen(yAt: (i: number) => number): void {
    this.width *= 2;
    let w = -1;
    for (let r = 0; r < this.k.length; r++) {
      const k = Math.floor(this.k[r] / 2);
      if (w >= 0 && this.k[w] === k) {
        if (yAt(this.min[r]) < yAt(this.min[w])) this.min[w] = this.min[r];
        if (yAt(this.max[r]) > yAt(this.max[w])) this.max[w] = this.max[r];
        this.last[w] = this.last[r];
      } else {
        w++;
        this.k[w] = k;
        this.first[w] = this.first[r];
        this.min[w] = this.min[r];
        this.max[w] = this.max[r];
        this.last[w] = this.last[r];
      }
    }
    for (const a of [this.k, this.first, this.min, this.max, this.last]) a.length = w + 1;
  }

  /** The decimated series: per bucket its first, min, max and last points in x order. */
  points(xAt: (i: number) => number, yAt: (i: number) => number): DecimatedSeries {
    const out: DecimatedSeries = { x: [], y: [] };
    const picks = [0, 0, 0, 0];
    for (let b = 0; b < this.k.length; b++) {
      picks[0] = this.first[b];
      picks[1] = this.min[b];
      picks[2] = this.max[b];
      picks[3] = this.last[b];
      picks.sort((p, q) => p - q);
      let prev = -1;
      for (const p of picks) {
        if (p !== prev) {
          out.x.push(xAt(p));
          out.y.push(yAt(p));
          prev = p;
        }
      }
    }
    // x order is index order unless a clock went back; charts need sorted x.
    for (let i = 1; i < out.x.length; i++) {
      if (out.x[i] < out.x[i - 1]) {
        const order = out.x.map((_, j) => j).sort((a, b) => out.x[a] - out.x[b]);
        return { x: order.map((j) => out.x[j]), y: order.map((j) => out.y[j]) };
      }
    }
    return out;
  }

  get bucketCount(): number {
    return this.k.length;
  }
}
