import * as assert from 'node:assert/strict';
import { decimateMinMax, lowerBound, StreamingMinMax, upperBound } from '../../../src/core/run/decimate';
import { emaSmooth } from '../../../src/core/run/smoothing';

function series(n: number, f: (i: number) => number) {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i;
    y[i] = f(i);
  }
  return { x, y };
}

describe('min/max decimation', () => {
  it('keeps at most four points per bucket, in x order, including every bucket extreme', () => {
    const s = series(1_000_000, (i) => Math.sin(i / 1000) + ((i * 7919) % 1000) / 5000);
    const d = decimateMinMax(s, { buckets: 1000 });
    assert.ok(d.x.length <= 4000 && d.x.length >= 1000, String(d.x.length));
    for (let i = 1; i < d.x.length; i++) assert.ok(d.x[i] > d.x[i - 1], 'x strictly increasing');
    // Every bucket's true min and max survive.
    const width = (s.x[s.x.length - 1] - s.x[0]) / 1000;
    for (const b of [0, 137, 500, 999]) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < s.x.length; i++) {
        const bucket = Math.min(999, Math.floor(s.x[i] / width));
        if (bucket === b) {
          min = Math.min(min, s.y[i]);
          max = Math.max(max, s.y[i]);
        }
      }
      const kept = d.y.filter((_, i) => Math.min(999, Math.floor(d.x[i] / width)) === b);
      assert.equal(Math.min(...kept), min);
      assert.equal(Math.max(...kept), max);
    }
    // The global first and last points stay (the line spans the whole range).
    assert.equal(d.x[0], 0);
    assert.equal(d.x.at(-1), 999_999);
  });

  it('never loses a single-point spike (every-Nth sampling would)', () => {
    const s = series(100_000, (i) => (i === 54_321 ? 1000 : 1));
    const d = decimateMinMax(s, { buckets: 100 });
    assert.ok(d.y.includes(1000));
    assert.ok(d.x.includes(54_321));
  });

  it('returns small series unchanged and drops non-finite values', () => {
    const d = decimateMinMax({ x: [1, 2, 3, 4], y: [5, NaN, 7, Infinity] }, { buckets: 100 });
    assert.deepEqual(d, { x: [1, 3], y: [5, 7] });
  });

  it('decimates only the zoomed range, with one neighbour each side for edge-to-edge lines', () => {
    const s = series(10_000, (i) => i);
    const d = decimateMinMax(s, { buckets: 10, xMin: 2000, xMax: 2999, includeNeighbours: true });
    assert.equal(d.x[0], 1999);
    assert.equal(d.x.at(-1), 3000);
    assert.ok(d.x.length <= 42);
    const zoomedIn = decimateMinMax(s, { buckets: 100, xMin: 100, xMax: 150 });
    assert.equal(zoomedIn.x.length, 51, 'a small range comes back at full resolution');
  });

  it('handles gaps in x and equal x values without looping or losing points', () => {
    const x = [0, 0, 0, 1, 1e6, 1e6 + 1, 2e6];
    const y = [3, 1, 2, 5, 4, 6, 0];
    const d = decimateMinMax({ x, y }, { buckets: 1 });
    assert.ok(d.y.includes(0) && d.y.includes(6));
  });

  it('binary searches sorted x', () => {
    const xs = [1, 2, 2, 2, 5];
    assert.equal(lowerBound(xs, 2), 1);
    assert.equal(upperBound(xs, 2), 4);
    assert.equal(lowerBound(xs, 6), 5);
    assert.equal(upperBound(xs, 0), 0);
  });
});

describe('streaming min/max decimation (live charts)', () => {
  const wave = (i: number) => Math.sin(i / 300) * 3 + ((i * 7919) % 97) / 97 + (i === 123_457 ? 50 : 0) - (i === 700_001 ? 40 : 0);

  it('fed at once or in chunks: bounded size, sorted x, the extremes and both ends kept', () => {
    const n = 1_000_000;
    const s = series(n, wave);
    const xAt = (i: number) => s.x[i];
    const yAt = (i: number) => s.y[i];
    const once = new StreamingMinMax(500);
    once.update(n, xAt, yAt);
    const chunked = new StreamingMinMax(500);
    for (let end = 1; end <= n; end = Math.min(n, end * 3 + 7)) {
      chunked.update(end, xAt, yAt);
      if (end === n) break;
    }
    const a = once.points(xAt, yAt);
    const b = chunked.points(xAt, yAt);
    assert.ok(a.x.length <= 4 * 2 * 500 && a.x.length >= 500, String(a.x.length));
    for (let i = 1; i < b.x.length; i++) assert.ok(b.x[i] > b.x[i - 1]);
    const maxOf = (a: ArrayLike<number>) => {
      let m = -Infinity;
      for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]);
      return m;
    };
    const minOf = (a: ArrayLike<number>) => -maxOf(Array.from(a, (v) => -v));
    assert.ok(b.x.length <= 4 * 2 * 500, String(b.x.length));
    assert.ok(b.y.includes(maxOf(s.y)) && b.y.includes(minOf(s.y)), 'the spike and the dip survive');
    assert.equal(b.x[0], 0);
    assert.equal(b.x.at(-1), n - 1);
    assert.equal(maxOf(a.y), maxOf(s.y));
    assert.equal(minOf(a.y), minOf(s.y));
    assert.equal(a.x[0], 0);
    assert.equal(a.x.at(-1), n - 1);
  });

  it('costs the new points, not the whole series, per update', () => {
    const n = 2_000_000;
    const s = series(n, wave);
    let reads = 0;
    const xAt = (i: number) => (reads++, s.x[i]);
    const dec = new StreamingMinMax(400);
    dec.update(n - 10, xAt, (i) => s.y[i]);
    reads = 0;
    dec.update(n, xAt, (i) => s.y[i]);
    assert.ok(reads < 100, `${reads} x reads for 10 new points`);
  });

  it('skips points without an x or a value, and a clock going back stays in order', () => {
    const dec = new StreamingMinMax(10);
    const x = [0, 1, NaN, 3, 2.5, 4];
    const y = [1, 2, 3, NaN, 5, 6];
    dec.update(x.length, (i) => x[i], (i) => y[i]);
    const out = dec.points((i) => x[i], (i) => y[i]);
    assert.deepEqual(out.x, [0, 1, 2.5, 4]);
    assert.deepEqual(out.y, [1, 2, 5, 6]);
  });
});

describe('EMA smoothing (TensorBoard)', () => {
  it('weight 0 is the raw series; the first point is not pulled towards zero (debiased)', () => {
    assert.deepEqual([...emaSmooth([4, 2, 8], 0)], [4, 2, 8]);
    const s = emaSmooth([10, 10, 10], 0.9);
    for (const v of s) assert.ok(Math.abs(v - 10) < 1e-12);
  });

  it('matches the debiased EMA formula and lets non-finite values pass through', () => {
    const w = 0.6;
    const s = emaSmooth([1, NaN, 3], w);
    // last1 = 0.4*1 = 0.4 -> /(1-0.6) = 1; last2 = 0.6*0.4+0.4*3 = 1.44 -> /(1-0.36) = 2.25
    assert.equal(s[0], 1);
    assert.ok(Number.isNaN(s[1]));
    assert.ok(Math.abs(s[2] - 2.25) < 1e-12);
  });

  it('reduces noise: the smoothed series varies far less than the raw one', () => {
    const raw = Array.from({ length: 2000 }, (_, i) => 1 + (i % 2 ? 0.5 : -0.5));
    const sm = emaSmooth(raw, 0.95);
    const spread = (a: ArrayLike<number>, from: number) => Math.max(...Array.from(a).slice(from)) - Math.min(...Array.from(a).slice(from));
    assert.ok(spread(sm, 100) < spread(raw, 100) / 10);
  });
});
