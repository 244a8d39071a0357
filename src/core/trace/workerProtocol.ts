/**
 * The messages between the extension host (or any Node caller) and the validation worker
 * (dist/validateWorker.js). Documents are identified by a caller-chosen id (the URI).
 */
import type { LineEdit } from './documentModel';
import type { FileResult, FileSummary } from './fileScan';
import type { TraceProblem } from './problems';

export type ToWorker =
  | { type: 'open'; id: string; version: number; text: string; limit: number }
  | { type: 'openFile'; id: string; version: number; path: string; limit: number }
  | { type: 'edit'; id: string; version: number; edits: LineEdit[]; lineCount: number }
  | { type: 'close'; id: string }
  | { type: 'validateFile'; request: number; path: string }
  | { type: 'cancel'; request: number };

export interface DocumentResult {
  id: string;
  /** The document version the problems describe. */
  version: number;
  problems: TraceProblem[];
  summary: FileSummary;
  /** True when there were more problems than the limit. */
  truncated: boolean;
  /** Time the worker spent validating (ms). */
  millis: number;
  /** Lines re-validated for this result. */
  validatedLines: number;
}

export type FromWorker =
  | ({ type: 'result' } & DocumentResult)
  /** The worker's copy went out of step (line count differs): send the whole text again. */
  | { type: 'resync'; id: string }
  | { type: 'documentError'; id: string; message: string }
  | { type: 'progress'; request: number; done: number; total: number }
  | { type: 'fileResult'; request: number; result: FileResult }
  | { type: 'fileError'; request: number; message: string; userError: boolean };
