// Run folders for trainer tests and benchmarks: tunix_sft JSONL splits rendered from the
// project's own trace generator (src/core/generate), and a config.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateTraces, type Difficulty, type TaskChoice } from '../../../src/core/generate';
import { renderTunixSft } from '../../../src/core/trace/render';
import type { TraceRecord } from '../../../src/core/trace/types';

export interface SftLine {
  id: string;
  prompts: string;
  final_answer: string;
  metadata: Record<string, unknown>;
}

/** A trace as tunix-rt's tunix_sft export writes it. */
export function toTunixSft(trace: TraceRecord, id: string): SftLine {
  return {
    id,
    prompts: renderTunixSft(trace),
    final_answer: trace.final_answer,
    metadata: { created_at: '2025-01-01T00:00:00.000Z', trace_version: trace.trace_version, format: 'tunix_sft', ...(trace.meta ?? {}) },
  };
}

export interface SplitSizes {
  train: number;
  val?: number;
  test?: number;
}

/** Generated traces of `task`, split train/val/test with no prompt shared between splits. */
export function generatedSplits(sizes: SplitSizes, opts: { task?: TaskChoice; seed?: number; difficulties?: Difficulty[] } = {}): Record<'train' | 'val' | 'test', SftLine[]> {
  const total = sizes.train + (sizes.val ?? 0) + (sizes.test ?? 0);
  const traces = [...generateTraces({ task: opts.task ?? 'addition', count: total, seed: opts.seed ?? 7, difficulties: opts.difficulties ?? ['medium'] })];
  const lines = traces.map((t, i) => toTunixSft(t, `t${i}`));
  const val = sizes.val ?? 0;
  return {
    train: lines.slice(0, sizes.train),
    val: lines.slice(sizes.train, sizes.train + val),
    test: lines.slice(sizes.train + val),
  };
}

export function writeJsonl(file: string, lines: readonly object[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

/** Writes data/<split>.jsonl and config.json into `runDir`; returns the config written. */
export function writeRun(runDir: string, splits: Partial<Record<'train' | 'val' | 'test', readonly object[]>>, config: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, string> = {};
  for (const [name, lines] of Object.entries(splits)) {
    if (!lines || (!lines.length && name !== 'train')) continue;
    writeJsonl(path.join(runDir, 'data', `${name}.jsonl`), lines);
    data[name] = `data/${name}.jsonl`;
  }
  // One thread unless a test asks for more: test machines run many processes at once.
  const full = { run_id: path.basename(runDir), recipe: 'sft_transformer', backend: 'wasm', seed: 1, threads: 1, data, resume: false, ...config };
  fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(full, null, 2));
  return full;
}
