// TensorBoard's scalar smoothing: an exponential moving average with debiasing, so the
// first points are not pulled towards zero. weight 0 = raw values, 0.99 = very smooth.
// Applied to the full series before decimation (smoothing decimated min/max points would
// average extremes, not the data).

/** Returns the smoothed copy of `ys`; non-finite values pass through and do not advance the average. */
export function emaSmooth(ys: ArrayLike<number>, weight: number, out?: Float64Array): Float64Array {
  const n = ys.length;
  const result = out && out.length >= n ? out : new Float64Array(n);
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) {
    for (let i = 0; i < n; i++) result[i] = ys[i];
    return result;
  }
  let last = 0;
  let wPow = 1; // w^count, kept as a running product (Math.pow per point is slow)
  for (let i = 0; i < n; i++) {
    const v = ys[i];
    if (!Number.isFinite(v)) {
      result[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    wPow *= w;
    result[i] = last / (1 - wPow);
  }
  return result;
}
