// Learning rate: linear warmup from 0 to the peak over `warmup` steps, then cosine decay to
// `floor` x peak at the last step.
export function learningRateAt(step: number, peak: number, warmup: number, total: number, floor = 0.1): number {
  if (warmup > 0 && step < warmup) return (peak * (step + 1)) / warmup;
  const span = Math.max(1, total - warmup);
  const progress = Math.min(1, Math.max(0, (step - warmup) / span));
  return peak * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
