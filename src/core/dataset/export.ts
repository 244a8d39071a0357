/**
 * Streams a built dataset (or one split of it) to a JSONL file in one of the export
 * formats, in manifest order, with progress and cancellation. Traces deleted from the
 * database after the build (or replaced by other content under the same id) are not
 * exported; they are listed in the result so the caller can report them.
 */
import { UserError } from '../errors';
import type { Store } from '../store';
import type { TraceRecord } from '../trace/types';
import { exportLine, type ExportFormat, type FormatOptions } from './formats';
import { writeLinesAtomically } from './jsonlFile';
import { getManifest } from './repository';
import { itemBatch } from './traceAccess';

export interface ExportOptions {
  key: string;
  format: ExportFormat;
  /** One split; all traces when absent. */
  split?: string;
  out: string;
  signal?: AbortSignal;
  onProgress?: (p: { written: number; total: number }) => void;
  /** Overrides for deterministic tests (see FormatOptions). */
  formatOptions?: FormatOptions;
}

export interface ExportResult {
  dataset_key: string;
  format: ExportFormat;
  split: string | null;
  out: string;
  /** Lines written. */
  written: number;
  bytes: number;
  /** Items of the manifest (of the split) looked at. */
  total: number;
  /** Trace ids deleted from the database since the build. */
  missing: string[];
  /** Trace ids whose stored content differs from what was built (deleted and re-imported). */
  changed: string[];
}

const BATCH = 1000;

export async function exportDataset(store: Store, o: ExportOptions): Promise<ExportResult> {
  const manifest = getManifest(store, o.key);
  const splitNames = Object.keys(manifest.splits.ratios);
  if (o.split !== undefined && !splitNames.includes(o.split)) {
    throw new UserError(`Dataset ${o.key} has no split "${o.split}". Its splits: ${splitNames.join(', ')}.`);
  }
  const total = o.split === undefined ? manifest.trace_count : (manifest.splits.counts[o.split] ?? 0);
  const missing: string[] = [];
  const changed: string[] = [];
  const formatOptions: FormatOptions = { idNamespace: manifest.build_id, ...o.formatOptions };
  let looked = 0;
  async function* lines() {
    let after = -1;
    for (;;) {
      const batch = itemBatch(store, o.key, o.split, after, BATCH);
      if (!batch.length) return;
      for (const item of batch) {
        looked++;
        if (item.trace) yield exportLine(o.format, { id: item.trace_id, createdAt: item.trace.importedAt, record: item.trace.record }, formatOptions);
        else (item.changed ? changed : missing).push(item.trace_id);
      }
      after = batch[batch.length - 1].position;
      o.onProgress?.({ written: looked - missing.length - changed.length, total });
      // Let the event loop breathe between batches (progress UI, cancellation).
      await new Promise((r) => setImmediate(r));
    }
  }
  const written = await writeLinesAtomically(o.out, lines(), { signal: o.signal });
  return { dataset_key: o.key, format: o.format, split: o.split ?? null, out: o.out, written: written.lines, bytes: written.bytes, total: looked, missing, changed };
}

/**
 * The traces of a dataset (or one split) in manifest order, without writing a file: what a
 * trainer or an evaluator reads. Items whose trace is gone (or was replaced) are passed to
 * `onMissing` and skipped, as exports skip them.
 */
export async function* datasetTraces(
  store: Store,
  key: string,
  split?: string,
  onMissing?: (traceId: string, why: 'deleted' | 'changed') => void,
): AsyncGenerator<{ id: string; split: string; createdAt: string; record: TraceRecord }> {
  const manifest = getManifest(store, key);
  if (split !== undefined && !(split in manifest.splits.ratios)) {
    throw new UserError(`Dataset ${key} has no split "${split}". Its splits: ${Object.keys(manifest.splits.ratios).join(', ')}.`);
  }
  let after = -1;
  for (;;) {
    const batch = itemBatch(store, key, split, after, BATCH);
    if (!batch.length) return;
    for (const item of batch) {
      if (item.trace) yield { id: item.trace_id, split: item.split, createdAt: item.trace.importedAt, record: item.trace.record };
      else onMissing?.(item.trace_id, item.changed ? 'changed' : 'deleted');
    }
    after = batch[batch.length - 1].position;
    await new Promise((r) => setImmediate(r));
  }
}
