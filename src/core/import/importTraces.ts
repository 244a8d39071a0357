// Streaming import of trace files into the store: lines are validated one by one with the
// validator the diagnostics use, valid records are hashed and batched, and each batch is
// one durable write transaction (so a crash or a cancel keeps every committed batch and
// nothing of the next). The lock is taken per batch, so other windows can write between.
import * as path from 'node:path';
import { CODES } from '../trace/problems';
import { contentHash } from '../trace/hash';
import { validateTraceLine, validateTraceObject } from '../trace/validate';
import type { TraceRecord } from '../trace/types';
import type { Writable } from '../store/store';
import { insertTraces, prepareTrace, type PreparedTrace } from '../store/traces';
import { fromExportFormat, mightBeExport } from './exportFormats';
import { expandInputs } from './inputs';
import { readLines } from './lineReader';

export interface InvalidLine {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, when known. */
  column?: number;
  code: string;
  message: string;
}

export interface FileReport {
  file: string;
  lines: number;
  imported: number;
  duplicates: number;
  invalid: number;
}

export interface ImportReport {
  /** New traces stored. */
  imported: number;
  /** Valid records whose content was already stored (or repeated earlier in the input). */
  duplicates: number;
  /** Records not stored: invalid, or whose own id belongs to a different stored trace. */
  invalid: number;
  /** The first `maxInvalidLines` invalid lines, in input order. */
  invalidLines: InvalidLine[];
  /** True when more lines were invalid than `invalidLines` lists (`invalid` has the full count). */
  invalidLinesTruncated: boolean;
  files: FileReport[];
  bytes: number;
  seconds: number;
  /** True when the signal aborted the import: the batches committed before it are kept. */
  cancelled: boolean;
}

export interface ImportProgress {
  file: string;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  imported: number;
  duplicates: number;
  invalid: number;
}

export interface ImportOptions {
  /** Records per write transaction (default 2000). */
  batchSize?: number;
  /** A batch is also committed once its text reaches this many characters (default 16 Mi). */
  batchChars?: number;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Called after each committed batch (tests use it to know what must survive a crash). */
  onBatchCommitted?: (batch: { records: number; imported: number; duplicates: number }) => void;
  /** Cap of `invalidLines` (default 1000). */
  maxInvalidLines?: number;
  /** Read-chunk size in bytes (default 4 MiB). */
  chunkBytes?: number;
}

/** Error code of a record whose own id is already used by a trace with different content. */
export const ID_CONFLICT_CODE = 'IMP001';

interface Pending {
  prepared: PreparedTrace;
  line: number;
  /** Converted from an export format, where step types and indices were lost. */
  lossy: boolean;
}

type LineOutcome = { kind: 'blank' } | { kind: 'record'; record: TraceRecord; lossy: boolean } | { kind: 'invalid'; column?: number; code: string; message: string };

/** Validates one line: our trace format through validateTraceLine, our export formats converted and checked by the same validator. */
export function parseImportLine(text: string, line: number): LineOutcome {
  if (mightBeExport(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined; // validateTraceLine below reports the syntax error at its position
    }
    const converted = value === undefined ? undefined : fromExportFormat(value);
    if (converted) {
      const v = validateTraceObject(converted.value);
      if (v.record) return { kind: 'record', record: v.record, lossy: true };
      const first = v.problems.find((p) => p.severity === 'error')!;
      return { kind: 'invalid', code: first.code, message: `${first.path}: ${first.message} (read as the "${converted.format}" export format)` };
    }
  }
  const v = validateTraceLine(text, line);
  if (v.blank) return { kind: 'blank' };
  if (v.record) return { kind: 'record', record: v.record, lossy: false };
  const first = v.problems.find((p) => p.severity === 'error') ?? v.problems[0];
  return { kind: 'invalid', column: first?.column, code: first?.code ?? CODES.invalidJson.code, message: first?.message ?? 'Invalid record.' };
}

export async function importTraces(store: Writable, inputs: readonly string[], options: ImportOptions = {}): Promise<ImportReport> {
  const started = Date.now();
  const files = expandInputs(inputs);
  const batchSize = options.batchSize ?? 2000;
  const batchChars = options.batchChars ?? 16 * 1024 * 1024;
  const maxInvalid = options.maxInvalidLines ?? 1000;
  const bytesTotal = files.reduce((s, f) => s + f.bytes, 0);
  const report: ImportReport = { imported: 0, duplicates: 0, invalid: 0, invalidLines: [], invalidLinesTruncated: false, files: [], bytes: 0, seconds: 0, cancelled: false };
  let bytesBefore = 0;

  const addInvalid = (fr: FileReport, entry: InvalidLine) => {
    report.invalid++;
    fr.invalid++;
    if (report.invalidLines.length < maxInvalid) report.invalidLines.push(entry);
    else report.invalidLinesTruncated = true;
  };

  for (let fi = 0; fi < files.length; fi++) {
    const file = files[fi];
    const fr: FileReport = { file: file.path, lines: 0, imported: 0, duplicates: 0, invalid: 0 };
    report.files.push(fr);
    let batch: Pending[] = [];
    let batchTextChars = 0;
    let bytesDone = bytesBefore;
    const progress = () =>
      options.onProgress?.({ file: file.path, filesDone: fi, filesTotal: files.length, bytesDone, bytesTotal, imported: report.imported, duplicates: report.duplicates, invalid: report.invalid });

    const commit = async () => {
      if (batch.length === 0) return;
      const items = batch;
      batch = [];
      batchTextChars = 0;
      const importedAt = new Date().toISOString();
      const outcomes = await store.write((tx) => insertTraces(tx, items.map((p) => p.prepared), importedAt, items.map((p) => p.lossy)), {
        purpose: `import ${path.basename(file.path)}`,
      });
      let imported = 0;
      let duplicates = 0;
      outcomes.forEach((o, k) => {
        if (o.kind === 'inserted') imported++;
        else if (o.kind === 'duplicate') duplicates++;
        else {
          addInvalid(fr, {
            file: file.path,
            line: items[k].line,
            code: ID_CONFLICT_CODE,
            message: `The id "${items[k].prepared.id}" already belongs to a stored trace with different content; give this record another id (or remove "id" to have one made).`,
          });
        }
      });
      report.imported += imported;
      report.duplicates += duplicates;
      fr.imported += imported;
      fr.duplicates += duplicates;
      options.onBatchCommitted?.({ records: items.length, imported, duplicates });
      progress();
    };

    for await (const lines of readLines(file.path, { chunkBytes: options.chunkBytes, signal: options.signal, onBytes: (b) => (bytesDone = bytesBefore + b) })) {
      for (const l of lines) {
        fr.lines = l.line;
        if (l.text === undefined) {
          addInvalid(fr, { file: file.path, line: l.line, code: CODES.invalidUtf8.code, message: 'The line holds bytes that are not UTF-8; trace files must be UTF-8 text.' });
          continue;
        }
        const r = parseImportLine(l.text, l.line);
        if (r.kind === 'blank') continue;
        if (r.kind === 'invalid') {
          addInvalid(fr, { file: file.path, line: l.line, ...(r.column ? { column: r.column } : {}), code: r.code, message: r.message });
          continue;
        }
        batch.push({ prepared: prepareTrace(r.record, `${file.path}:${l.line}`, contentHash(r.record)), line: l.line, lossy: r.lossy });
        batchTextChars += l.text.length;
        if (batch.length >= batchSize || batchTextChars >= batchChars) {
          if (options.signal?.aborted) break;
          await commit();
        }
      }
      if (options.signal?.aborted) break;
      progress();
    }
    if (options.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    await commit();
    bytesBefore += file.bytes;
  }
  report.bytes = report.cancelled ? bytesBefore : bytesTotal;
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
