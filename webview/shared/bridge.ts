// The webview side of the message channel: a typed wrapper around acquireVsCodeApi (which
// may be called only once per page). Use the contract's unions:
//   const host = bridge<TraceViewerToWebview, TraceViewerFromWebview, TraceViewerState>();
//   host.onMessage((m) => ...); host.ready();
import type { AnyMessage } from '../../src/shared/message';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Bridge<In extends AnyMessage, Out extends AnyMessage, State> {
  post(message: Out | { type: 'ready' }): void;
  /** Tells the host the page listens; it answers with its full state. Call once, after onMessage. */
  ready(): void;
  onMessage(handler: (message: In) => void): () => void;
  /** The state kept by VS Code across reloads of this page (hidden panel, moved panel, window reload). */
  getState(): State | undefined;
  /** Merges `patch` into the kept state. */
  updateState(patch: Partial<State>): void;
}

let api: VsCodeApi | undefined;

function vscodeApi(): VsCodeApi {
  // Outside VS Code (a test page in a plain browser) there is no host: keep state in memory.
  if (!api) {
    let state: unknown;
    api =
      typeof acquireVsCodeApi === 'function'
        ? acquireVsCodeApi()
        : { postMessage: (m) => console.debug('postMessage', m), getState: () => state, setState: (s) => (state = s) };
  }
  return api;
}

export function bridge<In extends AnyMessage, Out extends AnyMessage, State extends object = Record<string, never>>(): Bridge<In, Out, State> {
  const vscode = vscodeApi();
  return {
    post: (message) => vscode.postMessage(message),
    ready: () => vscode.postMessage({ type: 'ready' }),
    onMessage(handler) {
      const listener = (event: MessageEvent) => {
        const data = event.data as unknown;
        if (typeof data === 'object' && data !== null && typeof (data as AnyMessage).type === 'string') handler(data as In);
      };
      window.addEventListener('message', listener);
      return () => window.removeEventListener('message', listener);
    },
    getState: () => vscode.getState() as State | undefined,
    updateState(patch) {
      vscode.setState({ ...((vscode.getState() as State | undefined) ?? {}), ...patch });
    },
  };
}
