// Puts several (x, y) series on one shared x array, as uPlot's aligned data needs: the sorted
// union of their x values, each series with null where it has no point. Pure and DOM-free:
// the metrics webview uses it, unit tests check it.

export type AlignedData = [number[], ...Array<Array<number | null>>];

export function alignSeries(series: ReadonlyArray<{ x: ArrayLike<number>; y: ArrayLike<number> }>): AlignedData {
  let total = 0;
  for (const s of series) total += s.x.length;
  const all = new Float64Array(total);
  let k = 0;
  for (const s of series) for (let i = 0; i < s.x.length; i++) all[k++] = s.x[i];
  all.sort();
  const xs: number[] = [];
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) xs.push(all[i]);
  const out: AlignedData = [xs];
  for (const s of series) {
    const ys: Array<number | null> = new Array(xs.length).fill(null);
    // Both sorted: one pass. Equal x within a series (rare) keeps the last value.
    let j = 0;
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i];
      while (xs[j] < x) j++;
      ys[j] = s.y[i];
    }
    out.push(ys);
  }
  return out;
}
