// Message contract of the trace viewer webview (webview/traceViewer/main.tsx, hosted by
// src/extension/traces/traceViewerPanel.ts). See src/shared/message.ts for the conventions.
import type { MessageOf, ReadyMessage } from './message';
import type { TraceDocument, TraceScoreView } from './traceDocument';

export const TRACE_VIEWER = { app: 'traceViewer', viewType: 'tunix.traceViewer' } as const;

/** Extension host -> webview. */
export type TraceViewerToWebview = MessageOf<{
  /** Render this trace (replaces whatever was shown). */
  show: { trace: TraceDocument };
  /** A score was (re)computed for the shown trace. */
  scored: { traceId: string; score: TraceScoreView };
  /** The shown trace was deleted from the database: the viewer says so and disables its actions. */
  deleted: { traceId: string };
  /** The trace could not be loaded; `message` says why and what to do. */
  failed: { message: string };
}>;

/** Webview -> extension host. */
export type TraceViewerFromWebview =
  | ReadyMessage
  | MessageOf<{
      /** Copy text to the clipboard (the host does it: webview clipboard access varies by host). */
      copy: { text: string; label: string };
      /** Compute (or recompute) the baseline score of this trace. */
      score: { traceId: string };
      /** Pick another trace and compare it with this one. */
      compareWith: { traceId: string };
      /** Delete this trace (the host asks for confirmation). */
      delete: { traceId: string };
      /** Open the file the trace was imported from at its line. */
      openOrigin: { file: string; line?: number };
      /** Filter the Traces view by this meta key and (scalar) value, as it is in the trace's meta. */
      filterByMeta: { key: string; value: string | number | boolean | null };
    }>;

/** What the viewer keeps with vscode.setState: enough to restore the panel after a reload. */
export interface TraceViewerState {
  traceId?: string;
  wrap?: boolean;
  scrollY?: number;
}
