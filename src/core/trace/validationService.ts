/**
 * Validation of open documents and files behind one interface, run either in a worker
 * thread (WorkerValidationService, what the extension uses) or in the calling thread
 * (InProcessValidationService: tests, and the fallback when the worker cannot start).
 * DocumentValidations is the shared core both run: incremental models keyed by id, edits
 * coalesced so a burst of changes is validated once.
 */
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors';
import { TraceDocumentModel, type LineEdit } from './documentModel';
import { validateTraceFile, type FileResult } from './fileScan';
import type { DocumentResult, FromWorker, ToWorker } from './workerProtocol';

export type { DocumentResult } from './workerProtocol';

export interface FileValidationOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface TraceValidationService {
  /** Starts tracking a document from its text, or from a file on disk (cheaper for a saved large file). */
  open(id: string, version: number, source: { text: string } | { path: string }, limit?: number): void;
  /** Applies the document's content changes (in VS Code's order) made up to `version`. */
  edit(id: string, version: number, edits: LineEdit[], lineCount: number): void;
  close(id: string): void;
  /** Validates a file on disk (not open in an editor). */
  validateFile(path: string, opts?: FileValidationOptions): Promise<FileResult>;
  onResult(listener: (r: DocumentResult) => void): void;
  /** The service lost track of a document (worker restarted, copies diverged): open it again. */
  onResync(listener: (id: string) => void): void;
  /** Problems reported to the caller (worker crashes, unreadable files). */
  onError(listener: (message: string) => void): void;
  dispose(): Promise<void>;
}

/** The document side of validation, the same in the worker and in process. */
export class DocumentValidations {
  private readonly docs = new Map<string, { model: TraceDocumentModel; version: number; limit: number }>();
  private readonly pending = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly post: (m: FromWorker) => void,
    private readonly load: (path: string) => TraceDocumentModel,
  ) {}

  handle(m: ToWorker): void {
    try {
      switch (m.type) {
        case 'open':
          this.docs.set(m.id, { model: new TraceDocumentModel(m.text), version: m.version, limit: m.limit });
          this.schedule(m.id);
          break;
        case 'openFile':
          this.docs.set(m.id, { model: this.load(m.path), version: m.version, limit: m.limit });
          this.schedule(m.id);
          break;
        case 'edit': {
          const doc = this.docs.get(m.id);
          if (!doc) return this.post({ type: 'resync', id: m.id });
          doc.model.applyEdits(m.edits);
          doc.version = m.version;
          if (doc.model.lineCount !== m.lineCount) {
            this.docs.delete(m.id);
            this.pending.delete(m.id);
            return this.post({ type: 'resync', id: m.id });
          }
          this.schedule(m.id);
          break;
        }
        case 'close':
          this.docs.delete(m.id);
          this.pending.delete(m.id);
          break;
        default:
          break;
      }
    } catch (err) {
      if ('id' in m) {
        this.docs.delete(m.id);
        this.post({ type: 'documentError', id: m.id, message: (err as Error).message });
      }
    }
  }

  private schedule(id: string): void {
    this.pending.add(id);
    if (this.scheduled) return;
    this.scheduled = true;
    // Let queued messages (more edits) land first, then validate each document once.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const ids = [...this.pending];
    this.pending.clear();
    for (const id of ids) {
      const doc = this.docs.get(id);
      if (!doc) continue;
      try {
        const started = performance.now();
        const validatedLines = doc.model.validate();
        const r = doc.model.result(doc.limit);
        this.post({ type: 'result', id, version: doc.version, ...r, millis: performance.now() - started, validatedLines });
      } catch (err) {
        this.docs.delete(id);
        this.post({ type: 'documentError', id, message: (err as Error).message });
      }
    }
  }
}

type Listeners = { result: Array<(r: DocumentResult) => void>; resync: Array<(id: string) => void>; error: Array<(m: string) => void> };

abstract class ServiceBase implements TraceValidationService {
  protected readonly listeners: Listeners = { result: [], resync: [], error: [] };
  protected nextRequest = 1;
  protected readonly requests = new Map<number, { resolve: (r: FileResult) => void; reject: (e: Error) => void; onProgress?: (d: number, t: number) => void }>();

  protected abstract send(m: ToWorker): void;

  protected receive(m: FromWorker): void {
    switch (m.type) {
      case 'result': {
        const { type: _t, ...r } = m;
        for (const l of this.listeners.result) l(r);
        break;
      }
      case 'resync':
        for (const l of this.listeners.resync) l(m.id);
        break;
      case 'documentError':
        for (const l of this.listeners.error) l(`Validating ${m.id} failed: ${m.message}`);
        break;
      case 'progress':
        this.requests.get(m.request)?.onProgress?.(m.done, m.total);
        break;
      case 'fileResult':
        this.requests.get(m.request)?.resolve(m.result);
        this.requests.delete(m.request);
        break;
      case 'fileError': {
        const r = this.requests.get(m.request);
        this.requests.delete(m.request);
        r?.reject(m.userError ? new UserError(m.message) : new Error(m.message));
        break;
      }
    }
  }

  open(id: string, version: number, source: { text: string } | { path: string }, limit = 5000): void {
    this.send('text' in source ? { type: 'open', id, version, text: source.text, limit } : { type: 'openFile', id, version, path: source.path, limit });
  }
  edit(id: string, version: number, edits: LineEdit[], lineCount: number): void {
    this.send({ type: 'edit', id, version, edits, lineCount });
  }
  close(id: string): void {
    this.send({ type: 'close', id });
  }
  validateFile(path: string, opts: FileValidationOptions = {}): Promise<FileResult> {
    const request = this.nextRequest++;
    return new Promise<FileResult>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new Error('cancelled'));
      this.requests.set(request, { resolve, reject, onProgress: opts.onProgress });
      opts.signal?.addEventListener('abort', () => this.send({ type: 'cancel', request }), { once: true });
      this.send({ type: 'validateFile', request, path });
    });
  }
  onResult(l: (r: DocumentResult) => void): void {
    this.listeners.result.push(l);
  }
  onResync(l: (id: string) => void): void {
    this.listeners.resync.push(l);
  }
  onError(l: (m: string) => void): void {
    this.listeners.error.push(l);
  }
  abstract dispose(): Promise<void>;
}

/** Runs validation in the calling thread (tests; fallback when no worker can start). */
export class InProcessValidationService extends ServiceBase {
  private readonly docs = new DocumentValidations((m) => this.receive(m), (p) => new TraceDocumentModel(fs.readFileSync(p, 'utf8')));
  private readonly cancelled = new Set<number>();

  protected send(m: ToWorker): void {
    if (m.type === 'cancel') this.cancelled.add(m.request);
    else if (m.type === 'validateFile') {
      validateTraceFile(m.path, { cancelled: () => this.cancelled.has(m.request), onProgress: (done, total) => this.receive({ type: 'progress', request: m.request, done, total }) }).then(
        (result) => this.receive({ type: 'fileResult', request: m.request, result }),
        (err) => this.receive({ type: 'fileError', request: m.request, message: (err as Error).message, userError: (err as Error).name === 'UserError' }),
      );
    } else this.docs.handle(m);
  }

  async dispose(): Promise<void> {}
}

/**
 * Runs validation in a worker thread started from `workerPath` (dist/validateWorker.js).
 * If the worker dies it is restarted on the next message and every open document is
 * reported through onResync so its owner sends the text again.
 */
export class WorkerValidationService extends ServiceBase {
  private worker: Worker | undefined;
  private readonly open_ = new Set<string>();
  private disposed = false;

  constructor(private readonly workerPath: string) {
    super();
    if (!fs.existsSync(workerPath)) throw new Error(`The validation worker ${workerPath} is missing; rebuild the extension (npm run build).`);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.workerPath);
    w.unref();
    w.on('message', (m: FromWorker) => this.receive(m));
    w.on('error', (err) => {
      for (const l of this.listeners.error) l(`The validation worker failed: ${err.message}`);
    });
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      if (this.disposed) return;
      for (const l of this.listeners.error) l(`The validation worker stopped (exit code ${code}); restarting it.`);
      for (const [, r] of this.requests) r.reject(new Error('The validation worker stopped while validating a file.'));
      this.requests.clear();
      const ids = [...this.open_];
      this.open_.clear();
      for (const id of ids) for (const l of this.listeners.resync) l(id);
    });
    this.worker = w;
    return w;
  }

  protected send(m: ToWorker): void {
    if (this.disposed) return;
    if (m.type === 'open' || m.type === 'openFile') this.open_.add(m.id);
    if (m.type === 'close') this.open_.delete(m.id);
    this.ensure().postMessage(m);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    for (const [, r] of this.requests) r.reject(new Error('Validation stopped.'));
    this.requests.clear();
    if (w) await w.terminate();
  }
}
