// Message contract of the leaderboard webview (webview/leaderboard/main.tsx, hosted by
// src/extension/eval/leaderboardPanel.ts). See src/shared/message.ts for the conventions.
// The rows are ranked and filtered by core (src/core/eval/leaderboard.ts); the webview
// renders them and sends the user's filters back.
import type { MessageOf, ReadyMessage } from './message';
import type { LeaderboardRow } from '../core/eval/leaderboard';
import type { Baseline } from '../core/eval/regression';
import type { RecordedCheck } from '../core/eval/baselines';

export const LEADERBOARD = { app: 'leaderboard', viewType: 'tunix.leaderboard' } as const;

/** The filters the page offers; '' means "any". Dates are YYYY-MM-DD. */
export interface LeaderboardFilters {
  judge: string;
  dataset: string;
  since: string;
  until: string;
  text: string;
}

export const NO_FILTERS: LeaderboardFilters = { judge: '', dataset: '', since: '', until: '', text: '' };

export interface LeaderboardEntry extends LeaderboardRow {
  /** Metrics this row's run is the regression baseline of (with this row's judge). */
  baselineOf: string[];
  /** The run's latest recorded baseline checks. */
  checks: RecordedCheck[];
}

export interface LeaderboardView {
  rows: LeaderboardEntry[];
  facets: { judges: string[]; datasets: string[] };
  filters: LeaderboardFilters;
  baselines: Baseline[];
  /** How many evaluations the database holds, unfiltered (0 shows the welcome text). */
  totalEvaluations: number;
  databasePath: string;
}

/** Extension host -> webview. */
export type LeaderboardToWebview = MessageOf<{
  show: { view: LeaderboardView };
  /** The data could not be loaded; `message` says why and what to do. */
  failed: { message: string };
}>;

/** Webview -> extension host. */
export type LeaderboardFromWebview =
  | ReadyMessage
  | MessageOf<{
      /** Re-rank with these filters. */
      filter: { filters: LeaderboardFilters };
      /** Show the run (its metrics, folder). */
      openRun: { runId: string };
      /** Compare these evaluations item by item (two or more, the first is the reference). */
      compare: { evaluationIds: string[] };
      /** Make this run the baseline of its primary score with this judge (asks for the tolerance). */
      setBaseline: { runId: string; judge: string };
      /** Check this run against the baselines. */
      checkBaseline: { runId: string };
      /** Evaluate a run (the Evaluate Run command). */
      evaluate: void;
      refresh: void;
    }>;

/** What the page keeps with vscode.setState. */
export interface LeaderboardState {
  filters?: LeaderboardFilters;
  /** Evaluation ids ticked for comparison. */
  selected?: string[];
}
