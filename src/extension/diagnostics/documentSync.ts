// Keeps the validation service's copy of each open trace document in step with the editor
// and turns its results into diagnostics. Edits are forwarded (batched over the debounce
// interval, never dropped), so the service re-checks only the changed lines; a large saved
// file is opened by path, so its text never crosses threads.
import * as vscode from 'vscode';
import type { LineEdit } from '../../core/trace/documentModel';
import type { FileSummary } from '../../core/trace/fileScan';
import type { TraceProblem } from '../../core/trace/problems';
import type { DocumentResult, TraceValidationService } from '../../core/trace/validationService';
import { toDiagnostic, truncatedDiagnostic, type DocLinks } from './convert';
import { readSettings } from './settings';
import { isTraceDocument } from './traceDocuments';

/** Above this many characters a saved document is opened from disk by the worker. */
const OPEN_BY_PATH_CHARS = 4 * 1024 * 1024;

interface Tracked {
  doc: vscode.TextDocument;
  pending: LineEdit[];
  pendingVersion: number;
  timer: NodeJS.Timeout | undefined;
  lastVersion: number;
}

export class DocumentSync implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  /** Per-file counts (open documents and files from Validate All), for the CodeLens. */
  readonly summaries = new Map<string, FileSummary>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a file's summary changes. */
  readonly onDidChangeSummary = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Resolvers waiting for a document's next result (tests and Validate All). */
  private readonly waiters = new Map<string, Array<() => void>>();

  constructor(
    private readonly service: () => TraceValidationService,
    readonly diagnostics: vscode.DiagnosticCollection,
    private readonly links: DocLinks,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.consider(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri, false)),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((u) => this.forget(u, true))),
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => this.forget(f.oldUri, true))),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tunix.traces.validation')) this.reconsiderAll();
      }),
      this.changed,
    );
  }

  /** Starts listening to the service (called once it exists). */
  attach(service: TraceValidationService): void {
    service.onResult((r) => this.onResult(r));
    service.onResync((id) => {
      const t = this.tracked.get(id);
      if (t) this.open(t);
    });
    service.onError((m) => this.log.error(m));
  }

  isTracked(uri: vscode.Uri): boolean {
    return this.tracked.has(uri.toString());
  }

  reconsiderAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.consider(doc);
  }

  consider(doc: vscode.TextDocument): void {
    const id = doc.uri.toString();
    const want = isTraceDocument(doc, readSettings(doc.uri));
    if (want && !this.tracked.has(id)) {
      const t: Tracked = { doc, pending: [], pendingVersion: doc.version, timer: undefined, lastVersion: -1 };
      this.tracked.set(id, t);
      this.open(t);
    } else if (!want && this.tracked.has(id)) this.forget(doc.uri, true);
  }

  private open(t: Tracked): void {
    if (t.timer) clearTimeout(t.timer);
    t.timer = undefined;
    t.pending = [];
    const { doc } = t;
    const settings = readSettings(doc.uri);
    const byPath = doc.uri.scheme === 'file' && !doc.isDirty && doc.lineCount > 1000 && doc.offsetAt(new vscode.Position(doc.lineCount - 1, 0)) > OPEN_BY_PATH_CHARS;
    this.service().open(doc.uri.toString(), doc.version, byPath ? { path: doc.uri.fsPath } : { text: doc.getText() }, settings.maxProblems);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const id = e.document.uri.toString();
    const t = this.tracked.get(id);
    if (!t) {
      // A .jsonl that was empty or not yet a trace may have become one: check after a pause.
      if (/\.jsonl$/i.test(e.document.uri.path) && e.document.lineCount < 100_000) this.debounced(id, () => this.consider(e.document));
      return;
    }
    if (e.contentChanges.length === 0) return;
    for (const c of e.contentChanges) {
      t.pending.push({ startLine: c.range.start.line, startCharacter: c.range.start.character, endLine: c.range.end.line, endCharacter: c.range.end.character, text: c.text });
    }
    t.pendingVersion = e.document.version;
    if (t.timer) clearTimeout(t.timer);
    t.timer = setTimeout(() => this.flush(t), readSettings(e.document.uri).debounceMs);
  }

  private readonly otherTimers = new Map<string, NodeJS.Timeout>();
  private debounced(id: string, fn: () => void): void {
    clearTimeout(this.otherTimers.get(id));
    this.otherTimers.set(
      id,
      setTimeout(() => {
        this.otherTimers.delete(id);
        fn();
      }, 500),
    );
  }

  private flush(t: Tracked): void {
    t.timer = undefined;
    if (!t.pending.length) return;
    const edits = t.pending;
    t.pending = [];
    this.service().edit(t.doc.uri.toString(), t.pendingVersion, edits, t.doc.lineCount);
  }

  /** Sends pending edits now (tests, and before a command reads the results). */
  flushAll(): void {
    for (const t of this.tracked.values()) if (t.timer) {
      clearTimeout(t.timer);
      this.flush(t);
    }
  }

  private onResult(r: DocumentResult): void {
    const t = this.tracked.get(r.id);
    if (!t || r.version < t.lastVersion) return;
    t.lastVersion = r.version;
    this.publish(t.doc.uri, r.problems, r.summary, r.truncated);
    this.log.trace(`Validated ${t.doc.uri.fsPath} v${r.version}: ${r.validatedLines} line(s) re-checked in ${r.millis.toFixed(1)} ms; ${r.summary.errors} errors, ${r.summary.warnings} warnings.`);
    const waiting = this.waiters.get(r.id);
    if (waiting && r.version >= t.doc.version) {
      this.waiters.delete(r.id);
      waiting.forEach((w) => w());
    }
  }

  /** Sets a file's diagnostics and summary (also used by Validate All for closed files). */
  publish(uri: vscode.Uri, problems: TraceProblem[], summary: FileSummary, truncated: boolean): void {
    const diags = problems.map((p) => toDiagnostic(p, this.links));
    if (truncated) diags.push(truncatedDiagnostic(problems.length, summary.errors + summary.warnings));
    this.diagnostics.set(uri, diags);
    this.summaries.set(uri.toString(), summary);
    this.changed.fire(uri);
  }

  /** Resolves once the document's diagnostics reflect its current version. */
  whenValidated(doc: vscode.TextDocument): Promise<void> {
    const id = doc.uri.toString();
    const t = this.tracked.get(id);
    if (!t) return Promise.resolve();
    if (t.lastVersion >= doc.version && !t.timer) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
      this.flushAll();
    });
  }

  private forget(uri: vscode.Uri, clear: boolean): void {
    const id = uri.toString();
    const t = this.tracked.get(id);
    if (t) {
      if (t.timer) clearTimeout(t.timer);
      this.tracked.delete(id);
      this.service().close(id);
      this.waiters.get(id)?.forEach((w) => w());
      this.waiters.delete(id);
    }
    // A closed file's problems stay listed (it did not change); a deleted one's go.
    if (clear) {
      this.diagnostics.delete(uri);
      this.summaries.delete(id);
      this.changed.fire(uri);
    }
  }

  dispose(): void {
    for (const t of this.tracked.values()) if (t.timer) clearTimeout(t.timer);
    for (const timer of this.otherTimers.values()) clearTimeout(timer);
    this.subscriptions.forEach((s) => s.dispose());
  }
}
