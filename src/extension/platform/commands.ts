// Every command the extension contributes, as typed constants, and the arguments features
// pass when they run one another's commands (features never import each other: they meet
// here and in src/extension/platform). A unit test checks this list against package.json.
import * as vscode from 'vscode';

export const Commands = {
  showLog: 'tunix.showLog',
  doctor: 'tunix.doctor',
  validateAllTraceFiles: 'tunix.validateAllTraceFiles',
  importTraces: 'tunix.importTraces',
  searchTraces: 'tunix.searchTraces',
  filterTraces: 'tunix.filterTraces',
  clearTraceFilter: 'tunix.clearTraceFilter',
  openTraceById: 'tunix.openTraceById',
  compareTraces: 'tunix.compareTraces',
  deleteTrace: 'tunix.deleteTrace',
  refreshTraces: 'tunix.refreshTraces',
  openTrace: 'tunix.openTrace',
  compareTraceWith: 'tunix.compareTraceWith',
  scoreTrace: 'tunix.scoreTrace',
  copyTraceId: 'tunix.copyTraceId',
  tracesLoadMore: 'tunix.traces.loadMore',
  generateSamples: 'tunix.generateSamples',
  buildDataset: 'tunix.buildDataset',
  exportDataset: 'tunix.exportDataset',
  showDatasetStats: 'tunix.showDatasetStats',
  openDatasetManifest: 'tunix.openDatasetManifest',
  deleteDataset: 'tunix.deleteDataset',
  trainOnDataset: 'tunix.trainOnDataset',
  refreshDatasets: 'tunix.refreshDatasets',
  evaluateRun: 'tunix.evaluateRun',
  showLeaderboard: 'tunix.showLeaderboard',
  compareRuns: 'tunix.compareRuns',
  setRegressionBaseline: 'tunix.setRegressionBaseline',
  checkAgainstBaseline: 'tunix.checkAgainstBaseline',
  setLlmJudgeApiKey: 'tunix.setLlmJudgeApiKey',
  evalOpenRun: 'tunix.eval.openRun',
  startRun: 'tunix.startRun',
  runsOpenMetrics: 'tunix.runs.openMetrics',
  runsCompareMetrics: 'tunix.runs.compareMetrics',
  runsOpenLog: 'tunix.runs.openLog',
  runsOpenManifest: 'tunix.runs.openManifest',
  runsCancel: 'tunix.runs.cancel',
  runsResume: 'tunix.runs.resume',
  runsDelete: 'tunix.runs.delete',
  runsRefresh: 'tunix.runs.refresh',
  startSweep: 'tunix.startSweep',
  registerModel: 'tunix.registerModel',
  modelsOpenManifest: 'tunix.models.openManifest',
  modelsOpenRun: 'tunix.models.openRun',
  modelsVerify: 'tunix.models.verify',
  modelsDelete: 'tunix.models.delete',
  modelsRefresh: 'tunix.models.refresh',
  /** VS Code's own command that reveals the Traces view (made for every contributed view). */
  tracesFocus: 'tunix.traces.focus',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** A trace, run, dataset or model as a tree node or by its id/key (what the commands accept). */
type Ref = string | object;

/**
 * The arguments of the commands that other features (or tree items, toasts and webviews) run
 * with arguments. A command not listed here is run without any.
 */
export interface CommandArgs {
  'tunix.openTrace': [traceId: string];
  'tunix.openTraceById': [traceId: string];
  'tunix.importTraces': [file: vscode.Uri];
  'tunix.exportDataset': [datasetKey: string];
  'tunix.showDatasetStats': [dataset: Ref];
  'tunix.traces.loadMore': [node: object];
  'tunix.evaluateRun': [] | [arg: { runId?: string; predictions?: string; items?: string; judge?: string }];
  'tunix.compareRuns': [arg: string[] | { preselect: string[] } | { runs: string[]; judge?: string }];
  'tunix.setRegressionBaseline': [arg: { runId: string; metric: string; judge?: string }];
  'tunix.checkAgainstBaseline': [runId: string];
  'tunix.eval.openRun': [runId: string];
  'tunix.runs.openMetrics': [run: Ref] | [run: Ref | undefined, selected: string[]];
  'tunix.runs.openLog': [run: Ref];
  'tunix.models.openManifest': [version: Ref];
  'tunix.startRun': [] | [datasetKey: string];
}

type ArgsOf<K extends CommandId> = K extends keyof CommandArgs ? CommandArgs[K] : [];

/** Runs one of our commands with the arguments it takes. */
export function runCommand<K extends CommandId>(id: K, ...args: ArgsOf<K>): Thenable<unknown> {
  return vscode.commands.executeCommand(id, ...args);
}

/** A command for a tree item, status bar item or welcome button, with the arguments it takes. */
export function commandFor<K extends CommandId>(id: K, title: string, ...args: ArgsOf<K>): vscode.Command {
  return { command: id, title, ...(args.length ? { arguments: args } : {}) };
}
