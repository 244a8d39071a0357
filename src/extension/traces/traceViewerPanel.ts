// The trace viewer panels: one panel per trace (opening a trace that is already shown
// reveals its panel). Restored after a window reload from the trace id the webview kept.
import * as vscode from 'vscode';
import { revealInvisible } from '../../core/trace/invisibleChars';
import { isUserError } from '../../core/errors';
import type { TraceDocument } from '../../shared/traceDocument';
import { TRACE_VIEWER, type TraceViewerFromWebview, type TraceViewerState, type TraceViewerToWebview } from '../../shared/traceViewerContract';
import type { ExtensionContextServices } from '../platform/services';
import { WebviewPanelHost } from '../platform/webview/panel';
import type { TraceSource } from './traceSource';

type Host = WebviewPanelHost<TraceViewerToWebview, TraceViewerFromWebview>;

/** What the viewer's buttons do outside the panel (they are the tree's commands). */
export interface TraceViewerActions {
  compareWith(traceId: string): Promise<unknown>;
  delete(traceId: string): Promise<unknown>;
  filterByMeta(key: string, value: string | number | boolean | null): Promise<unknown>;
}

export class TraceViewerPanels implements vscode.Disposable {
  private readonly open = new Map<string, TraceViewerPanel>();

  constructor(
    private readonly services: ExtensionContextServices,
    private readonly source: TraceSource,
    private readonly actions: TraceViewerActions,
  ) {
    services.track(
      vscode.window.registerWebviewPanelSerializer(TRACE_VIEWER.viewType, {
        deserializeWebviewPanel: async (panel, state: TraceViewerState | undefined) => {
          const host: Host = WebviewPanelHost.adopt(panel, services.context.extensionUri, this.hostOptions('Trace'));
          if (!state?.traceId) {
            host.post({ type: 'failed', message: 'This panel does not know which trace it showed. Open the trace again from the Traces view.' });
            return;
          }
          this.attach(state.traceId, host);
        },
      }),
    );
  }

  /** Opens (or reveals) the viewer of a trace. */
  show(traceId: string, column?: vscode.ViewColumn): TraceViewerPanel {
    const existing = this.open.get(traceId);
    if (existing && !existing.host.isDisposed) {
      existing.host.reveal(column);
      return existing;
    }
    const host: Host = WebviewPanelHost.create(this.services.context.extensionUri, { ...this.hostOptions(`Trace ${shortId(traceId)}`), column });
    return this.attach(traceId, host);
  }

  /** The panel showing a trace, if any (for tests and for refreshing after changes). */
  panelOf(traceId: string): TraceViewerPanel | undefined {
    return this.open.get(traceId);
  }

  /** Tells open viewers that traces were deleted. */
  markDeleted(traceIds: Iterable<string>): void {
    for (const id of traceIds) this.open.get(id)?.markDeleted();
  }

  /** Reloads open viewers from the database (after a score or another change). */
  async refresh(traceId: string): Promise<void> {
    await this.open.get(traceId)?.reload();
  }

  private hostOptions(title: string) {
    return {
      app: TRACE_VIEWER.app,
      viewType: TRACE_VIEWER.viewType,
      title,
      iconPath: vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'tunix.svg'),
      log: this.services.log,
    };
  }

  private attach(traceId: string, host: Host): TraceViewerPanel {
    const panel = new TraceViewerPanel(traceId, host, this.services, this.source, this.actions);
    this.open.set(traceId, panel);
    host.onDidDispose(() => {
      if (this.open.get(traceId) === panel) this.open.delete(traceId);
    });
    return panel;
  }

  dispose(): void {
    for (const p of this.open.values()) p.host.dispose();
    this.open.clear();
  }
}

export class TraceViewerPanel {
  private document: TraceDocument | undefined;
  private deleted = false;
  /** Resolves once the trace was loaded and posted (tests wait on it). */
  readonly loaded: Promise<void>;

  constructor(
    readonly traceId: string,
    readonly host: Host,
    private readonly services: ExtensionContextServices,
    private readonly source: TraceSource,
    private readonly actions: TraceViewerActions,
  ) {
    host.onDidBecomeReady(() => this.postState());
    host.onDidReceiveMessage((m) => void this.handle(m));
    this.loaded = this.reload();
  }

  get shown(): TraceDocument | undefined {
    return this.document;
  }

  /** True once the shown trace was deleted from the database. */
  get isDeleted(): boolean {
    return this.deleted;
  }

  async reload(): Promise<void> {
    try {
      this.document = await this.source.load(this.traceId);
      this.host.title = titleOf(this.document);
      // A page still loading gets the state from onDidBecomeReady.
      if (this.host.isReady) this.postState();
    } catch (err) {
      this.report(err);
    }
  }

  markDeleted(): void {
    this.deleted = true;
    this.host.post({ type: 'deleted', traceId: this.traceId });
  }

  private postState(): void {
    if (!this.document) return;
    this.host.post({ type: 'show', trace: this.document });
    if (this.deleted) this.host.post({ type: 'deleted', traceId: this.traceId });
  }

  private report(err: unknown): void {
    const message = isUserError(err) ? err.message : `Could not load trace ${this.traceId}: ${(err as Error).message}`;
    if (!isUserError(err)) this.services.log.error(`Trace viewer: ${(err as Error).stack ?? err}`);
    this.host.post({ type: 'failed', message });
  }

  private async handle(m: TraceViewerFromWebview): Promise<void> {
    try {
      switch (m.type) {
        case 'copy':
          await copyToClipboard(m.text, m.label);
          break;
        case 'score': {
          const score = await this.source.score(m.traceId);
          if (this.document) this.document = { ...this.document, scores: [score, ...this.document.scores.filter((s) => s.criteria !== score.criteria)] };
          this.host.post({ type: 'scored', traceId: m.traceId, score });
          break;
        }
        case 'compareWith':
          await this.actions.compareWith(m.traceId);
          break;
        case 'delete':
          await this.actions.delete(m.traceId);
          break;
        case 'filterByMeta':
          await this.actions.filterByMeta(m.key, m.value);
          break;
        case 'openOrigin':
          await openAtLine(m.file, m.line);
          break;
        default:
          this.services.log.warn(`Trace viewer: unknown message ${JSON.stringify(m)}`);
      }
    } catch (err) {
      this.report(err);
      if (!isUserError(err)) void vscode.window.showErrorMessage(`Tunix: ${(err as Error).message}`);
    }
  }
}

export async function copyToClipboard(text: string, label: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(copy) Copied the ${label}`, 2500);
}

export async function openAtLine(file: string, line?: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position), preview: true });
}

/** The tab title: the start of the prompt says which trace this is better than its id. */
function titleOf(trace: TraceDocument): string {
  const prompt = revealInvisible(trace.prompt).replace(/\s+/g, ' ').trim();
  return `Trace: ${prompt.length > 28 ? `${prompt.slice(0, 27)}…` : prompt}`;
}

export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 10)}…` : id;
}
