/**
 * Deterministic train/val/test splits. Each trace's split follows from a hash of (seed, trace
 * id) alone, never from its position or from the other traces, so a trace keeps its split
 * when traces are added to or removed from a later build with the same seed: evaluation
 * items never leak into training across versions. The cost: split sizes match the ratios
 * only approximately (binomially), which the manifest reports as actual counts.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors';

export interface SplitSpec {
  /** Split names in the order given, with their ratios (summing to 1). */
  ratios: Array<{ name: string; ratio: number }>;
}

export const DEFAULT_SPLITS = 'train=0.8,val=0.1,test=0.1';
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/** Parses "train=0.8,val=0.1,test=0.1" (ratios may also be percentages: train=80,val=10,test=10). */
export function parseSplits(text: string): SplitSpec {
  const where = `--split "${text}"`;
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (!parts.length) throw new UserError(`${where}: give at least one split, e.g. ${DEFAULT_SPLITS}.`);
  const ratios: SplitSpec['ratios'] = [];
  for (const part of parts) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    if (!m) throw new UserError(`${where}: "${part}" is not NAME=RATIO (e.g. train=0.8).`);
    const name = m[1].trim();
    const ratio = Number(m[2].trim());
    if (!NAME.test(name)) throw new UserError(`${where}: split name "${name}" must start with a letter and use letters, digits, "_" or "-" (at most 32).`);
    if (ratios.some((r) => r.name === name)) throw new UserError(`${where}: split "${name}" is given twice.`);
    if (!Number.isFinite(ratio) || ratio < 0) throw new UserError(`${where}: the ratio of "${name}" must be a number >= 0, got "${m[2].trim()}".`);
    ratios.push({ name, ratio });
  }
  let total = ratios.reduce((s, r) => s + r.ratio, 0);
  // Percentages summing to 100 are accepted too.
  if (Math.abs(total - 100) < 1e-6 && ratios.every((r) => r.ratio <= 100)) {
    for (const r of ratios) r.ratio /= 100;
    total = 1;
  }
  if (Math.abs(total - 1) > 1e-6) throw new UserError(`${where}: the ratios add up to ${+total.toFixed(6)}, not 1.`);
  return { ratios };
}

export function formatSplits(spec: SplitSpec): string {
  return spec.ratios.map((r) => `${r.name}=${r.ratio}`).join(',');
}

/** A number in [0, 1) from sha256("<seed>:<trace id>"), 48 bits of it (exact in a double). */
export function splitPoint(traceId: string, seed: number): number {
  const h = createHash('sha256').update(`${seed}:${traceId}`, 'utf8').digest();
  return h.readUIntBE(0, 6) / 2 ** 48;
}

/** The split a trace falls in. */
export function assignSplit(traceId: string, seed: number, spec: SplitSpec): string {
  const x = splitPoint(traceId, seed);
  let edge = 0;
  for (const r of spec.ratios) {
    edge += r.ratio;
    if (x < edge) return r.name;
  }
  // Rounding can leave the last edge a hair under 1: the last split with a ratio takes it.
  return [...spec.ratios].reverse().find((r) => r.ratio > 0)!.name;
}
