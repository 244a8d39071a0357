// Message contract of the trace comparison webview (webview/traceCompare/main.tsx, hosted by
// src/extension/traces/traceComparePanel.ts). The host computes the diff with core
// (src/core/trace/diff.ts); the webview only renders it.
import type { TraceDiff } from '../core/trace/diff';
import type { MessageOf, ReadyMessage } from './message';
import type { TraceDocument } from './traceDocument';

export const TRACE_COMPARE = { app: 'traceCompare', viewType: 'tunix.traceCompare' } as const;

export type TraceCompareToWebview = MessageOf<{
  show: { left: TraceDocument; right: TraceDocument; diff: TraceDiff };
  failed: { message: string };
}>;

export type TraceCompareFromWebview =
  | ReadyMessage
  | MessageOf<{
      copy: { text: string; label: string };
      /** Open one side in the trace viewer. */
      open: { traceId: string };
      /** Show the two traces the other way round. */
      swap: void;
      /** Compute the baseline score of one side. */
      score: { traceId: string };
    }>;

export interface TraceCompareState {
  leftId?: string;
  rightId?: string;
  /** Hide the steps that are identical on both sides. */
  changesOnly?: boolean;
  scrollY?: number;
}
