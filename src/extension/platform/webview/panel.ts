// The webview platform: how every webview panel of the extension is built (trace viewer,
// comparison, metrics charts, leaderboard, dataset stats, run comparison...).
//
// One webview = four files:
//  1. src/shared/<name>Contract.ts   the message contract: `MessageOf<{...}>` unions for each
//     direction (src/shared/message.ts), a `{ app, viewType }` constant, and the shape of the
//     state the webview keeps with vscode.setState. Types only (plus constants).
//  2. webview/<app>/main.tsx         the preact app. esbuild bundles every webview/<app>/main.tsx
//     into dist/webview/<app>.js (`.css` imports load as text). Start it with
//     `mountApp(<App />, { css })` from webview/shared/mount.tsx, talk to the host through
//     `bridge<ToWebview, FromWebview, State>()` from webview/shared/bridge.ts, style with
//     webview/shared/base.css (VS Code's --vscode-* theme variables: light, dark and high
//     contrast all work) and reuse webview/shared/components/*. VS Code look-alike controls come
//     from @vscode-elements/elements: import only the element modules you use, through
//     webview/shared/elements.ts (it also types them for JSX).
//  3. src/extension/<feature>/<name>Panel.ts   the host: `WebviewPanelHost.create(...)` with the
//     contract's types; post the webview's full state from `onDidBecomeReady` (it fires on every
//     load of the page, including reloads after the panel was hidden or moved; skip posting it
//     elsewhere while `isReady` is false), post updates at any time (queued until the page is
//     ready), handle `onDidReceiveMessage`. Register a WebviewPanelSerializer (and the
//     `onWebviewPanel:<viewType>` activation event) to restore panels after a window reload
//     from the state the webview kept; `WebviewPanelHost.adopt` takes the restored panel.
//     Example: src/extension/traces/traceViewerPanel.ts.
//  4. Tests: the contract's data is built by core and unit-tested there; the panel is driven in
//     the real VS Code by test/integration and test/e2e.
//
// What the host guarantees: a strict Content-Security-Policy with a fresh nonce on every load
// (./html.ts: only our bundle runs, no inline scripts or handlers, no network);
// `localResourceRoots` limited to the extension's dist/ and media/; the codicon font;
// messages that do not have the contract's shape are logged and dropped; hidden panels drop
// their page (no `retainContextWhenHidden` by default: the webview keeps its UI state with
// vscode.setState and the host re-sends the data on the next `ready`).
import * as vscode from 'vscode';
import { isMessage, type AnyMessage } from '../../../shared/message';
import { createNonce, webviewPage } from './html';

export interface WebviewPanelOptions {
  /** The app's folder name under webview/ (its bundle is dist/webview/<app>.js). */
  app: string;
  /** The panel's view type (also used to restore panels after a reload). */
  viewType: string;
  title: string;
  column?: vscode.ViewColumn;
  preserveFocus?: boolean;
  /** A codicon-free icon for the tab: an image under media/. */
  iconPath?: vscode.Uri | { light: vscode.Uri; dark: vscode.Uri };
  /**
   * Keep the page alive while the panel is hidden. Costs memory for every hidden panel;
   * leave it off unless the page holds state that is expensive to rebuild (a long-lived chart).
   */
  retainContextWhenHidden?: boolean;
  /** Where invalid messages are reported. */
  log?: Pick<vscode.LogOutputChannel, 'warn' | 'debug'>;
}

/**
 * A webview panel with the platform's page, security settings and a typed message channel.
 * `ToWebview` and `FromWebview` are the contract's unions; `ready` is handled here.
 */
export class WebviewPanelHost<ToWebview extends AnyMessage, FromWebview extends AnyMessage> implements vscode.Disposable {
  /** Opens a new panel. */
  static create<T extends AnyMessage, F extends AnyMessage>(extensionUri: vscode.Uri, options: WebviewPanelOptions): WebviewPanelHost<T, F> {
    const panel = vscode.window.createWebviewPanel(
      options.viewType,
      options.title,
      { viewColumn: options.column ?? vscode.ViewColumn.Active, preserveFocus: options.preserveFocus ?? false },
      WebviewPanelHost.panelOptions(extensionUri, options),
    );
    return new WebviewPanelHost<T, F>(panel, extensionUri, options);
  }

  /** Adopts a panel VS Code restored after a reload (from a WebviewPanelSerializer). */
  static adopt<T extends AnyMessage, F extends AnyMessage>(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, options: WebviewPanelOptions): WebviewPanelHost<T, F> {
    panel.webview.options = WebviewPanelHost.panelOptions(extensionUri, options);
    panel.title = options.title;
    return new WebviewPanelHost<T, F>(panel, extensionUri, options);
  }

  /** The webview options every panel uses: scripts on, only our own files reachable. */
  static panelOptions(extensionUri: vscode.Uri, options: Pick<WebviewPanelOptions, 'retainContextWhenHidden'>): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      enableFindWidget: true,
      retainContextWhenHidden: options.retainContextWhenHidden ?? false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private ready = false;
  private queue: ToWebview[] = [];
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly messageEmitter = new vscode.EventEmitter<FromWebview>();
  private readonly readyEmitter = new vscode.EventEmitter<void>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();

  /** Every message from the webview except `ready`. */
  readonly onDidReceiveMessage = this.messageEmitter.event;
  /** The page (re)loaded and listens: post the full state now. */
  readonly onDidBecomeReady = this.readyEmitter.event;
  readonly onDidDispose = this.disposeEmitter.event;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly options: WebviewPanelOptions,
  ) {
    this.disposables.push(this.messageEmitter, this.readyEmitter, this.disposeEmitter);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        // Without retained context a hidden panel's page is discarded; it reloads (and sends
        // `ready` again) when shown, so messages posted meanwhile wait in the queue.
        if (!panel.visible && !this.options.retainContextWhenHidden) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.load();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Whether the page is loaded and listening. A host that posts its full state from
   * onDidBecomeReady can skip posting it while this is false (it would be sent twice).
   */
  get isReady(): boolean {
    return this.ready;
  }

  /** Sends a message now if the page is listening, else when it next becomes ready. */
  post(message: ToWebview): void {
    if (this.disposed) return;
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message).then((delivered) => {
      // Not delivered: the page went away between our check and the send. Re-queue it.
      if (!delivered && !this.disposed) this.queue.push(message);
    });
  }

  set title(value: string) {
    if (!this.disposed) this.panel.title = value;
  }

  reveal(column?: vscode.ViewColumn, preserveFocus?: boolean): void {
    if (!this.disposed) this.panel.reveal(column, preserveFocus);
  }

  /** Reloads the page with a fresh nonce (its UI state survives through vscode.setState). */
  load(): void {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    this.ready = false;
    webview.html = webviewPage({
      title: this.options.title,
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${this.options.app}.js`)).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicon.css')).toString(),
    });
  }

  private receive(message: unknown): void {
    if (!isMessage(message)) {
      this.options.log?.warn(`${this.options.viewType}: ignored a message without a type: ${safeJson(message)}`);
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      const pending = this.queue;
      this.queue = [];
      for (const m of pending) this.post(m);
      this.readyEmitter.fire();
      return;
    }
    this.messageEmitter.fire(message as FromWebview);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.queue = [];
    this.disposeEmitter.fire();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}
