/**
 * Validates whole JSONL trace files: line splitting (LF, CRLF and lone CR, like VS Code),
 * a leading BOM, blank lines, a last line without newline, bytes that are not UTF-8, and
 * traces repeated within the file. Streams the file in chunks, so its size is bounded by
 * the longest line, not the file.
 */
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { UserError } from '../errors';
import { cleanLineEnd, isCleanTraceLine } from './cleanBytes';
import { FirstLineByKey, traceKeyLanes } from './hash';
import { CODES, type TraceProblem } from './problems';
import { checkLine, toLineProblem } from './validate';
import { lineChunks } from '../io/lineChunks';

export interface FileSummary {
  /** Lines in the file (a final line without newline counts; an empty last line after a newline does not). */
  lines: number;
  /** Non-blank lines. */
  records: number;
  /** Records without errors (warnings allowed): what an import would accept. */
  valid: number;
  /** Records with at least one error. */
  invalid: number;
  errors: number;
  warnings: number;
}

export interface FileResult {
  problems: TraceProblem[];
  summary: FileSummary;
}

/**
 * Receives lines one at a time (1-based numbering is kept here) and collects the problems,
 * including the duplicate-trace warnings that need the whole file.
 */
export class TraceLineScanner {
  private line = 0;
  private readonly seen: FirstLineByKey;
  readonly summary: FileSummary = { lines: 0, records: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 };
  /** `expectedLines` sizes the duplicate table once (e.g. file size / 300). */
  constructor(
    private readonly onProblem: (p: TraceProblem) => void,
    expectedLines = 0,
  ) {
    this.seen = new FirstLineByKey(expectedLines);
  }

  /** Validates the next line (without its line break). */
  push(text: string): void {
    const line = ++this.line;
    this.summary.lines = line;
    const r = checkLine(text);
    if (r.blank) return;
    this.summary.records++;
    for (let k = 0; k < r.problems.length; k++) this.emit(toLineProblem(r.problems[k], line));
    if (!r.record) {
      this.summary.invalid++;
      return;
    }
    this.summary.valid++;
    traceKeyLanes(r.record);
    const first = this.seen.firstOr(line);
    if (first !== 0) this.emit(duplicateProblem(text, line, first));
  }

  /**
   * Counts a line the byte-level fast path (cleanBytes.ts) proved clean; its fingerprint is
   * in `lanes`. `start`/`end`: the line's bytes, decoded only if it repeats an earlier trace.
   */
  pushClean(bytes: Buffer, start: number, end: number): void {
    const line = ++this.line;
    this.summary.lines = line;
    this.summary.records++;
    this.summary.valid++;
    const first = this.seen.firstOr(line);
    if (first !== 0) this.emit(duplicateProblem(bytes.toString('utf8', start, end), line, first));
  }

  /** Reports a line whose bytes are not UTF-8 instead of validating it. */
  pushInvalidUtf8(line: Buffer): void {
    const n = ++this.line;
    this.summary.lines = n;
    this.summary.records++;
    this.summary.invalid++;
    const bad = firstInvalidUtf8(line);
    const column = line.subarray(0, bad).toString('utf8').length + 1;
    this.emit({
      code: CODES.invalidUtf8.code,
      severity: 'error',
      message: `Byte 0x${line[bad].toString(16).toUpperCase().padStart(2, '0')} is not valid UTF-8; trace files must be UTF-8 text. Re-save the file as UTF-8 (or remove the binary data).`,
      line: n,
      column,
      endLine: n,
      endColumn: column + 1,
    });
  }

  private emit(p: TraceProblem): void {
    if (p.severity === 'error') this.summary.errors++;
    else this.summary.warnings++;
    this.onProblem(p);
  }
}

/** The warning for a trace repeated in the file, marking the whole record. */
export function duplicateProblem(text: string, line: number, firstLine: number): TraceProblem {
  let start = 0;
  while (start < text.length && /\s|\uFEFF/.test(text[start])) start++;
  let end = text.length;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return {
    code: CODES.duplicateTrace.code,
    severity: 'warning',
    message: `This trace repeats line ${firstLine} (same prompt, steps and final answer); an import stores it once.`,
    line,
    column: start + 1,
    endLine: line,
    endColumn: end + 1,
  };
}

/** Offset of the first byte that breaks UTF-8 in `buf` (buf is known to be invalid). */
export function firstInvalidUtf8(buf: Buffer): number {
  let k = 0;
  while (k < buf.length) {
    const b = buf[k];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return k;
    if (need === 0) {
      k++;
      continue;
    }
    if (!isUtf8(buf.subarray(k, k + need + 1))) return k;
    k += need + 1;
  }
  return Math.max(0, buf.length - 1);
}

/** Splits decoded text into lines the way VS Code does (LF, CRLF, lone CR) and pushes each. */
function pushLines(scanner: TraceLineScanner, text: string, final: boolean): string {
  let from = 0;
  // Next CR at or after `from`; searched again only once passed (most files have none, and
  // searching from every line start would rescan the whole chunk per line).
  let cr = text.indexOf('\r');
  for (;;) {
    if (cr !== -1 && cr < from) cr = text.indexOf('\r', from);
    const lf = text.indexOf('\n', from);
    let end: number;
    let next: number;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      // A CR at the very end of a chunk may be the first half of CRLF: wait for more.
      if (cr === text.length - 1 && !final) return text.slice(from);
      end = cr;
      next = text.charCodeAt(cr + 1) === 0x0a ? cr + 2 : cr + 1;
    } else if (lf !== -1) {
      end = lf;
      next = lf + 1;
    } else {
      const rest = text.slice(from);
      if (final && rest.length) scanner.push(rest);
      return final ? '' : rest;
    }
    scanner.push(text.slice(from, end));
    from = next;
  }
}

/** Validates a whole text already in memory (an open document, a test fixture). */
export function validateTraceJsonl(text: string): FileResult {
  const problems: TraceProblem[] = [];
  const scanner = new TraceLineScanner((p) => problems.push(p), text.length / 300);
  pushLines(scanner, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, true);
  return { problems, summary: scanner.summary };
}

export interface ScanOptions {
  /** Called for each problem as found (the CLI streams them); default: collected into the result. */
  onProblem?: (p: TraceProblem) => void;
  /** Bytes read per chunk (default 8 MiB). */
  chunkBytes?: number;
  /** Polled between chunks; return true to stop early. */
  cancelled?: () => boolean;
  /** Called after each chunk with bytes done and total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Validates a JSONL file from disk in chunks. Lines are cut on LF bytes (which never occur
 * inside a multi-byte UTF-8 character); a chunk that is not valid UTF-8 is checked line by
 * line so only the bad lines are reported.
 */
export async function validateTraceFile(file: string, opts: ScanOptions = {}): Promise<FileResult> {
  const problems: TraceProblem[] = [];
  let scanner: TraceLineScanner | undefined;
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(e.code === 'ENOENT' ? `File not found: ${file}` : e.code === 'EISDIR' ? `${file} is a folder; give a .jsonl file.` : `Cannot read ${file}: ${e.message}`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new UserError(`${file} is a folder; give a .jsonl file.`);
    scanner = new TraceLineScanner(opts.onProblem ?? ((p) => problems.push(p)), stat.size / 300);
    const chunkBytes = opts.chunkBytes ?? 8 * 1024 * 1024;
    let textCarry = ''; // a trailing CR waiting for a possible LF
    for await (const { bytes, final, position } of lineChunks(handle, chunkBytes)) {
      if (opts.cancelled?.()) break;
      if (bytes.length) {
        if (!textCarry && isUtf8(bytes)) pushBytes(scanner, bytes, 0, bytes.length, final);
        else textCarry = decodeAndPush(scanner, bytes, textCarry, final);
      } else if (final && textCarry) {
        textCarry = pushLines(scanner, textCarry, true);
      }
      opts.onProgress?.(position, stat.size);
    }
  } finally {
    await handle.close();
  }
  return { problems, summary: scanner.summary };
}

/**
 * Validates the lines of buf[from, to) (UTF-8; every line but a final one ends with LF).
 * Each line first goes through the byte-level fast path, which decodes nothing; a line it
 * cannot prove clean is decoded and validated in full by the scanner (and split on lone
 * CRs the way VS Code counts lines).
 */
function pushBytes(scanner: TraceLineScanner, buf: Buffer, from: number, to: number, final: boolean): void {
  let k = from;
  while (k < to) {
    if (isCleanTraceLine(buf, k, to)) {
      scanner.pushClean(buf, k, cleanLineEnd);
      k = cleanLineEnd + 1;
      continue;
    }
    let lf = buf.indexOf(0x0a, k);
    const last = lf === -1 || lf >= to;
    if (last) lf = to;
    pushLines(scanner, buf.toString('utf8', k, last ? to : lf + 1), final && last);
    k = lf + 1;
  }
}

function decodeAndPush(scanner: TraceLineScanner, bytes: Buffer, textCarry: string, final: boolean): string {
  if (isUtf8(bytes)) return pushLines(scanner, textCarry + bytes.toString('utf8'), final);
  // Some line is not UTF-8: go line by line (LF-separated) so the good ones are still validated.
  let from = 0;
  let carry = textCarry;
  while (from < bytes.length) {
    let lf = bytes.indexOf(0x0a, from);
    const last = lf === -1;
    if (last) lf = bytes.length;
    const line = bytes.subarray(from, lf);
    if (isUtf8(line)) carry = pushLines(scanner, carry + line.toString('utf8') + (last ? '' : '\n'), final && last);
    else {
      if (carry) carry = pushLines(scanner, carry, true);
      scanner.pushInvalidUtf8(line);
    }
    from = lf + 1;
  }
  return carry;
}
