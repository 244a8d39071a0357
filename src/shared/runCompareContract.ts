// Message contract of the run comparison webview (webview/runCompare/main.tsx, hosted by
// src/extension/eval/runComparePanel.ts). The comparison is computed by core
// (src/core/eval/runComparison.ts); the webview renders it and filters the item table.
import type { MessageOf, ReadyMessage } from './message';
import type { RunComparison } from '../core/eval/runComparison';
import type { ItemOutcome } from '../core/eval/compare';

export const RUN_COMPARE = { app: 'runCompare', viewType: 'tunix.runCompare' } as const;

/** Extension host -> webview. */
export type RunCompareToWebview = MessageOf<{
  show: { comparison: RunComparison };
  /** A rebuild started (the reference changed, a run was added or removed). */
  loading: void;
  failed: { message: string };
}>;

/** Webview -> extension host. */
export type RunCompareFromWebview =
  | ReadyMessage
  | MessageOf<{
      /** Open the trace an item came from (item ids are trace ids for dataset splits). */
      openTrace: { itemId: string };
      openRun: { runId: string };
      /** Make this evaluation the reference (first column) and rebuild. */
      setReference: { evaluationId: string };
      removeRun: { evaluationId: string };
      /** Pick another evaluated run to add. */
      addRun: void;
      /** Mark a run as the regression baseline of its primary score with this judge. */
      setBaseline: { runId: string; judge: string };
    }>;

/** The item table's filter: an outcome against the reference, or everything. */
export type OutcomeFilter = ItemOutcome | 'all';

/** What the page keeps with vscode.setState (and the host uses to restore the panel). */
export interface RunCompareState {
  evaluationIds?: string[];
  outcome?: OutcomeFilter;
  /** Which other run the outcomes are about (index into runs, >= 1). */
  against?: number;
  category?: string;
  text?: string;
  metric?: string;
}
