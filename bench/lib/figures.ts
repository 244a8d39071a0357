// What every benchmark prints: one JSON line per figure, tagged with the benchmark's name
// (the peer's figure from the same run sits in the same line), and the rounding and
// percentiles the figures use.

/** A function that prints one figure of benchmark `bench` as a JSON line. */
export function figureEmitter(bench: string): (figure: Record<string, unknown>) => void {
  return (figure) => console.log(JSON.stringify({ bench, ...figure }));
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The p-th percentile (0-100) of `xs`, nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** The middle value (the upper one of an even count): percentile 50. */
export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}
