// The comparison panels: two traces side by side, the diff computed by core. One panel per
// ordered pair; restored after a window reload from the ids the webview kept.
import * as vscode from 'vscode';
import { isUserError } from '../../core/errors';
import { diffTraces, type ComparableTrace } from '../../core/trace/diff';
import type { TraceDocument } from '../../shared/traceDocument';
import { TRACE_COMPARE, type TraceCompareFromWebview, type TraceCompareState, type TraceCompareToWebview } from '../../shared/traceCompareContract';
import type { ExtensionContextServices } from '../platform/services';
import { WebviewPanelHost } from '../platform/webview/panel';
import { copyToClipboard, shortId } from './traceViewerPanel';
import type { TraceSource } from './traceSource';

type Host = WebviewPanelHost<TraceCompareToWebview, TraceCompareFromWebview>;

export class TraceComparePanels implements vscode.Disposable {
  private readonly open = new Map<string, TraceComparePanel>();

  constructor(
    private readonly services: ExtensionContextServices,
    private readonly source: TraceSource,
    private readonly openTrace: (traceId: string) => unknown,
  ) {
    services.track(
      vscode.window.registerWebviewPanelSerializer(TRACE_COMPARE.viewType, {
        deserializeWebviewPanel: async (panel, state: TraceCompareState | undefined) => {
          const host: Host = WebviewPanelHost.adopt(panel, services.context.extensionUri, this.hostOptions('Compare traces'));
          if (!state?.leftId || !state.rightId) {
            host.post({ type: 'failed', message: 'This panel does not know which traces it compared. Run "Tunix: Compare Traces..." again.' });
            return;
          }
          this.attach(state.leftId, state.rightId, host);
        },
      }),
    );
  }

  show(leftId: string, rightId: string): TraceComparePanel {
    const existing = this.open.get(pairKey(leftId, rightId));
    if (existing && !existing.host.isDisposed) {
      existing.host.reveal();
      return existing;
    }
    const host: Host = WebviewPanelHost.create(this.services.context.extensionUri, this.hostOptions(titleOf(leftId, rightId)));
    return this.attach(leftId, rightId, host);
  }

  panelOf(leftId: string, rightId: string): TraceComparePanel | undefined {
    return this.open.get(pairKey(leftId, rightId));
  }

  /** Reloads the comparisons that show a trace (after it was scored or deleted). */
  async refreshTrace(traceId: string): Promise<void> {
    await Promise.all([...this.open.values()].filter((p) => p.leftId === traceId || p.rightId === traceId).map((p) => p.reload()));
  }

  private hostOptions(title: string) {
    return {
      app: TRACE_COMPARE.app,
      viewType: TRACE_COMPARE.viewType,
      title,
      iconPath: vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'tunix.svg'),
      log: this.services.log,
    };
  }

  private attach(leftId: string, rightId: string, host: Host): TraceComparePanel {
    const panel = new TraceComparePanel(leftId, rightId, host, this.services, this.source, this.openTrace);
    const track = () => this.open.set(pairKey(panel.leftId, panel.rightId), panel);
    track();
    panel.onDidSwap((previousKey) => {
      if (this.open.get(previousKey) === panel) this.open.delete(previousKey);
      track();
    });
    host.onDidDispose(() => {
      const key = pairKey(panel.leftId, panel.rightId);
      if (this.open.get(key) === panel) this.open.delete(key);
    });
    return panel;
  }

  dispose(): void {
    for (const p of this.open.values()) p.host.dispose();
    this.open.clear();
  }
}

export class TraceComparePanel {
  private shown: Extract<TraceCompareToWebview, { type: 'show' }> | undefined;
  private readonly swapEmitter = new vscode.EventEmitter<string>();
  /** Fires with the pair key the panel had before a swap. */
  readonly onDidSwap = this.swapEmitter.event;
  loaded: Promise<void>;

  constructor(
    public leftId: string,
    public rightId: string,
    readonly host: Host,
    private readonly services: ExtensionContextServices,
    private readonly source: TraceSource,
    private readonly openTrace: (traceId: string) => unknown,
  ) {
    host.onDidBecomeReady(() => this.shown && host.post(this.shown));
    host.onDidReceiveMessage((m) => void this.handle(m));
    host.onDidDispose(() => this.swapEmitter.dispose());
    this.loaded = this.reload();
  }

  /** What the panel shows (tests read it). */
  get message() {
    return this.shown;
  }

  async reload(): Promise<void> {
    try {
      const [left, right] = await Promise.all([this.source.load(this.leftId), this.source.load(this.rightId)]);
      const diff = diffTraces(comparable(left), comparable(right));
      this.shown = { type: 'show', left, right, diff };
      this.host.title = titleOf(this.leftId, this.rightId);
      // A page still loading gets it from onDidBecomeReady.
      if (this.host.isReady) this.host.post(this.shown);
    } catch (err) {
      if (!isUserError(err)) this.services.log.error(`Trace comparison: ${(err as Error).stack ?? err}`);
      this.host.post({ type: 'failed', message: isUserError(err) ? err.message : `Could not compare the traces: ${(err as Error).message}` });
    }
  }

  private async handle(m: TraceCompareFromWebview): Promise<void> {
    try {
      switch (m.type) {
        case 'copy':
          await copyToClipboard(m.text, m.label);
          break;
        case 'open':
          await this.openTrace(m.traceId);
          break;
        case 'swap': {
          const previous = pairKey(this.leftId, this.rightId);
          [this.leftId, this.rightId] = [this.rightId, this.leftId];
          this.swapEmitter.fire(previous);
          this.loaded = this.reload();
          await this.loaded;
          break;
        }
        case 'score':
          await this.source.score(m.traceId);
          this.loaded = this.reload();
          await this.loaded;
          break;
        default:
          this.services.log.warn(`Trace comparison: unknown message ${JSON.stringify(m)}`);
      }
    } catch (err) {
      const message = isUserError(err) ? err.message : `Tunix: ${(err as Error).message}`;
      if (!isUserError(err)) this.services.log.error(`Trace comparison: ${(err as Error).stack ?? err}`);
      void vscode.window.showErrorMessage(message);
    }
  }
}

function comparable(t: TraceDocument): ComparableTrace {
  return { prompt: t.prompt, final_answer: t.finalAnswer, steps: t.steps, meta: t.meta };
}

function pairKey(leftId: string, rightId: string): string {
  return `${leftId}\u0000${rightId}`;
}

function titleOf(leftId: string, rightId: string): string {
  return `Compare ${shortId(leftId)} ↔ ${shortId(rightId)}`;
}
