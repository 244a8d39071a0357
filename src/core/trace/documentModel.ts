/**
 * The incremental validation engine behind the editor's diagnostics (and the keystroke
 * benchmark): a JSONL document held as lines, each with its cached validation result.
 * An edit re-validates only the lines it touched; results of the lines around it shift
 * with inserted and deleted lines; results of recently replaced line texts are kept by text,
 * so undo, cut-and-paste and moved lines need no re-validation. Independent of VS Code:
 * positions are 0-based (line, character) like vscode.Position, problems 1-based like the CLI.
 */
import { FirstLineByKey, lanes, traceKeyLanes } from './hash';
import { duplicateProblem, type FileSummary } from './fileScan';
import type { TraceProblem } from './problems';
import { checkLine, toLineProblem, type LocalResult } from './validate';

/** One change, as VS Code's TextDocumentContentChangeEvent gives it (0-based, end exclusive). */
export interface LineEdit {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  text: string;
}

interface LineState extends LocalResult {
  /** The content fingerprint (hash.ts lanes) of a valid record, for duplicate detection. */
  k1?: number;
  k2?: number;
}

/** Line texts longer than this are not kept in the by-text cache (memory). */
const CACHE_MAX_LINE = 1 << 20;
const CACHE_MAX_ENTRIES = 2048;

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export class TraceDocumentModel {
  private lines: string[] = [''];
  private states: Array<LineState | undefined> = [undefined];
  /** Results of line texts recently replaced or deleted, by text (insertion-ordered for eviction). */
  private readonly recent = new Map<string, LineState>();
  private dirty = true;
  private readonly dedup = new FirstLineByKey();

  constructor(text = '') {
    this.setText(text);
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** Replaces the whole text (open, or resync); unchanged lines keep their results. */
  setText(text: string): void {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const byText = new Map<string, LineState>();
    for (let k = 0; k < this.lines.length; k++) {
      const s = this.states[k];
      if (s) byText.set(this.lines[k], s);
    }
    this.lines = splitLines(text);
    this.states = this.lines.map((l) => byText.get(l) ?? this.recent.get(l));
    this.dirty = true;
  }

  /** The current text of a line (0-based). */
  lineText(line: number): string {
    return this.lines[line];
  }

  /** Applies VS Code content changes, in the order given (each relative to the text after the previous). */
  applyEdits(edits: readonly LineEdit[]): void {
    for (const e of edits) this.applyEdit(e);
  }

  private applyEdit(e: LineEdit): void {
    const last = this.lines.length - 1;
    const sl = Math.min(Math.max(e.startLine, 0), last);
    const el = Math.min(Math.max(e.endLine, sl), last);
    const prefix = this.lines[sl].slice(0, e.startCharacter);
    const suffix = this.lines[el].slice(e.endCharacter);
    const parts = e.text.indexOf('\n') === -1 && e.text.indexOf('\r') === -1 ? [e.text] : splitLines(e.text);
    parts[0] = prefix + parts[0];
    parts[parts.length - 1] += suffix;
    for (let k = sl; k <= el; k++) this.remember(this.lines[k], this.states[k]);
    const fresh: Array<LineState | undefined> = parts.map((p) => this.recent.get(p));
    this.lines.splice(sl, el - sl + 1, ...parts);
    this.states.splice(sl, el - sl + 1, ...fresh);
    this.dirty = true;
  }

  private remember(text: string, state: LineState | undefined): void {
    if (!state || text.length > CACHE_MAX_LINE) return;
    this.recent.delete(text);
    this.recent.set(text, state);
    if (this.recent.size > CACHE_MAX_ENTRIES) this.recent.delete(this.recent.keys().next().value as string);
  }

  /** Validates the lines whose result is missing; returns how many were validated. */
  validate(): number {
    if (!this.dirty) return 0;
    let n = 0;
    for (let k = 0; k < this.lines.length; k++) {
      if (this.states[k]) continue;
      const r: LineState = checkLine(this.lines[k]);
      if (r.record) {
        traceKeyLanes(r.record);
        r.k1 = lanes[0];
        r.k2 = lanes[1];
      }
      this.states[k] = r;
      n++;
    }
    this.dirty = false;
    return n;
  }

  /**
   * All problems of the document (validating first) in line order, duplicates included,
   * at most `limit` of them, and the counts (which always cover the whole document).
   */
  result(limit = Infinity): { problems: TraceProblem[]; summary: FileSummary; truncated: boolean } {
    this.validate();
    const problems: TraceProblem[] = [];
    const summary: FileSummary = { lines: this.lines.length, records: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 };
    const seen = this.dedup;
    seen.clear(this.lines.length);
    const add = (p: TraceProblem) => {
      if (p.severity === 'error') summary.errors++;
      else summary.warnings++;
      if (problems.length < limit) problems.push(p);
    };
    for (let k = 0; k < this.lines.length; k++) {
      const s = this.states[k]!;
      if (s.blank) continue;
      summary.records++;
      if (s.record) summary.valid++;
      else summary.invalid++;
      for (const p of s.problems) add(toLineProblem(p, k + 1));
      if (s.k1 !== undefined) {
        lanes[0] = s.k1;
        lanes[1] = s.k2!;
        const first = seen.firstOr(k + 1);
        if (first !== 0) add(duplicateProblem(this.lines[k], k + 1, first));
      }
    }
    return { problems, summary, truncated: summary.errors + summary.warnings > problems.length };
  }

  problems(limit = Infinity): TraceProblem[] {
    return this.result(limit).problems;
  }

  summary(): FileSummary {
    return this.result(0).summary;
  }

  /** The parsed record of a line when it is valid (used by hovers and quick fixes). */
  recordAt(line: number): LocalResult['record'] {
    this.validate();
    return this.states[line]?.record;
  }
}
