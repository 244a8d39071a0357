/**
 * Dataset statistics: tunix-rt's summary (trace_count, avg/min/max step count, avg total
 * chars, where total chars = prompt + final answer + every step's content, in code points as
 * Python's len counts them) plus what the stats view draws: counts per split and per
 * category, and step-count and length histograms per split.
 */
import type { TraceRecord } from '../trace/types';

export interface HistogramBin {
  /** Inclusive lower and upper bounds. */
  lo: number;
  hi: number;
}

export interface Histogram {
  bins: HistogramBin[];
  /** Count per bin, per split (same order as `bins`). */
  counts: Record<string, number[]>;
}

export interface DatasetStats {
  trace_count: number;
  avg_step_count: number;
  min_step_count: number;
  max_step_count: number;
  avg_total_chars: number;
  by_split: Record<string, number>;
  by_category: Record<string, number>;
  /** split -> category -> count. */
  by_split_category: Record<string, Record<string, number>>;
  step_count_histogram: Histogram;
  total_chars_histogram: Histogram;
}

/** The category a trace is counted under: meta.category, else meta.task_type, else "(none)". */
export function categoryOf(record: Pick<TraceRecord, 'meta'>): string {
  const m = record.meta ?? {};
  for (const key of ['category', 'task_type']) {
    const v = m[key];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  return '(none)';
}

function codePoints(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0xd800 || c > 0xdbff || k + 1 >= s.length) n++;
    else {
      const d = s.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) k++;
      n++;
    }
  }
  return n;
}

export function totalChars(record: Pick<TraceRecord, 'prompt' | 'final_answer' | 'steps'>): number {
  return codePoints(record.prompt) + codePoints(record.final_answer) + record.steps.reduce((s, st) => s + codePoints(st.content), 0);
}

/** "Nice" bins (width 1, 2 or 5 times a power of ten) covering [min, max], at most `maxBins`. */
export function histogramBins(min: number, max: number, maxBins = 20): HistogramBin[] {
  if (!(max >= min)) return [];
  const span = max - min + 1;
  let width = 1;
  for (let p = 1; ; p *= 10) {
    const w = [1, 2, 5].map((m) => m * p).find((c) => Math.ceil(span / c) <= maxBins);
    if (w) {
      width = w;
      break;
    }
  }
  const start = Math.floor(min / width) * width;
  const bins: HistogramBin[] = [];
  for (let lo = start; lo <= max; lo += width) bins.push({ lo, hi: lo + width - 1 });
  return bins;
}

function histogram(values: Array<{ split: string; value: number }>, splits: string[]): Histogram {
  if (!values.length) return { bins: [], counts: Object.fromEntries(splits.map((s) => [s, []])) };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v.value < min) min = v.value;
    if (v.value > max) max = v.value;
  }
  const bins = histogramBins(min, max);
  const width = bins[0].hi - bins[0].lo + 1;
  const counts: Record<string, number[]> = Object.fromEntries(splits.map((s) => [s, bins.map(() => 0)]));
  for (const v of values) counts[v.split][Math.floor((v.value - bins[0].lo) / width)]++;
  return { bins, counts };
}

/** Stats of the traces of a dataset, each with its split; `splits` fixes the key order. */
export function computeStats(items: Array<{ split: string; record: Pick<TraceRecord, 'prompt' | 'final_answer' | 'steps' | 'meta'> }>, splits: string[]): DatasetStats {
  const bySplit: Record<string, number> = Object.fromEntries(splits.map((s) => [s, 0]));
  const byCategory: Record<string, number> = {};
  const bySplitCategory: Record<string, Record<string, number>> = Object.fromEntries(splits.map((s) => [s, {}]));
  const steps: Array<{ split: string; value: number }> = [];
  const chars: Array<{ split: string; value: number }> = [];
  let stepSum = 0;
  let charSum = 0;
  let minSteps = Infinity;
  let maxSteps = 0;
  for (const { split, record } of items) {
    const category = categoryOf(record);
    bySplit[split] = (bySplit[split] ?? 0) + 1;
    byCategory[category] = (byCategory[category] ?? 0) + 1;
    const sc = (bySplitCategory[split] ??= {});
    sc[category] = (sc[category] ?? 0) + 1;
    const n = record.steps.length;
    const c = totalChars(record);
    steps.push({ split, value: n });
    chars.push({ split, value: c });
    stepSum += n;
    if (n < minSteps) minSteps = n;
    if (n > maxSteps) maxSteps = n;
    charSum += c;
  }
  const allSplits = Object.keys(bySplit);
  const count = items.length;
  return {
    trace_count: count,
    avg_step_count: count ? stepSum / count : 0,
    min_step_count: count ? minSteps : 0,
    max_step_count: maxSteps,
    avg_total_chars: count ? charSum / count : 0,
    by_split: bySplit,
    by_category: Object.fromEntries(Object.entries(byCategory).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    by_split_category: bySplitCategory,
    step_count_histogram: histogram(steps, allSplits),
    total_chars_histogram: histogram(chars, allSplits),
  };
}
