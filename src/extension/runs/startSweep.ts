// "Start Sweep...": a hyperparameter grid trained as one run per combination. The sweep runs
// in the `tunix-rt sweep` child process (the runs are launched by its engine, so nothing heavy
// happens on the extension host); its runs show in the Runs view as they train, through the
// shared database. Cancelling ends the child, which cancels its unfinished runs first.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { defaultTunables } from '../../core/run/trainerConfig';
import { expandGrid, parseGrid, SWEEP_OBJECTIVES, type SweepObjective } from '../../core/sweep/sweep';
import { runCli } from '../platform/cli';
import type { StoreService } from '../platform/storeService';
import { pickDataset } from './startRun';
import { Commands, runCommand } from '../platform/commands';

/** What the command can be given instead of asking (tests, other commands). */
export interface SweepArgs {
  dataset?: string;
  /** `--grid` values, e.g. ["learning_rate=0.003,0.006", "layers=1,2"]. */
  grid?: string[];
  /** Settings fixed for every run (`--set`). */
  set?: string[];
  steps?: number;
  objective?: SweepObjective;
  register?: string;
}

export interface SweepSummary {
  sweep_id: string;
  objective: SweepObjective;
  runs: Array<{ rank: number | null; run_id: string; label: string; status: string; value: number | null }>;
  best: { run_id: string; label: string; value: number | null } | null;
  registered: { name: string; version: number } | null;
  summary_file: string;
}

const TITLE = 'Start Sweep';

/** Asks for what `args` does not give; undefined when the user backs out. */
async function ask(stores: StoreService, args: SweepArgs): Promise<Required<Omit<SweepArgs, 'register' | 'set'>> & SweepArgs | undefined> {
  const dataset = await pickDataset(stores, args.dataset, `${TITLE} (1/4): dataset`);
  if (!dataset) return undefined;
  const base = defaultTunables('sft_transformer');
  let grid = args.grid;
  if (!grid) {
    const text = await vscode.window.showInputBox({
      title: `${TITLE} (2/4): the grid`,
      prompt: 'Settings and the values to try, separated by ";": every combination becomes a run (at most 64).',
      value: 'learning_rate=0.003,0.006; layers=1,2',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          expandGrid(parseGrid(v.split(';').map((x) => x.trim()).filter(Boolean)), base);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (text === undefined) return undefined;
    grid = text.split(';').map((x) => x.trim()).filter(Boolean);
  }
  let steps = args.steps;
  if (steps === undefined) {
    const text = await vscode.window.showInputBox({
      title: `${TITLE} (3/4): steps per run`,
      value: String(base.training.steps),
      ignoreFocusOut: true,
      validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 ? undefined : 'A whole number of steps, at least 1.'),
    });
    if (text === undefined) return undefined;
    steps = Number(text.trim());
  }
  let objective = args.objective;
  if (!objective) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'score', detail: "Each run's answers on the test split, judged by answer_correctness@v2 (stored for the leaderboard). Higher is better.", value: 'score' as const },
        { label: 'eval_loss', detail: 'The final loss on the validation split. Lower is better.', value: 'eval_loss' as const },
        { label: 'loss', detail: 'The final training loss. Lower is better.', value: 'loss' as const },
      ],
      { title: `${TITLE} (4/4): rank the runs by`, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    objective = pick.value;
  }
  if (!SWEEP_OBJECTIVES.includes(objective)) throw new UserError(`Unknown objective "${objective}"; use ${SWEEP_OBJECTIVES.join(', ')}.`);
  return { ...args, dataset, grid, steps, objective };
}

/** Asks, runs the sweep to its end (with progress and cancel) and reports the best run. */
export async function startSweep(stores: StoreService, distDir: string, log: vscode.LogOutputChannel, args: SweepArgs = {}): Promise<SweepSummary | undefined> {
  const a = await ask(stores, args);
  if (!a) return undefined;
  const db = stores.path;
  if (!db) throw new UserError('Open a folder first: the database lives in the workspace.');
  const cliArgs = ['sweep', '--db', db, '--dataset', a.dataset, '--steps', String(a.steps), '--objective', a.objective, '--json', ...a.grid.flatMap((g) => ['--grid', g]), ...(a.set ?? []).flatMap((s) => ['--set', s]), ...(a.register ? ['--register', a.register] : [])];
  log.info(`Sweep: tunix-rt ${cliArgs.join(' ')}`);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Tunix: sweep on ${a.dataset}`, cancellable: true }, (progress, token) =>
    runCli(distDir, cliArgs, {
      token,
      onStderrLine: (line) => {
        log.info(`sweep: ${line}`);
        const m = /^\s*\[(\d+)\/(\d+)\] (.*)$/.exec(line);
        if (m) progress.report({ message: `${m[1]} of ${m[2]} runs done (${m[3]})`, increment: 100 / Number(m[2]) });
      },
    }),
  );
  if (!result.stdout.trim()) throw new UserError(result.stderr.trim().split('\n').pop()?.replace(/^tunix-rt sweep: /, '') || `The sweep ended with exit code ${result.code}.`);
  const summary = JSON.parse(result.stdout) as SweepSummary;
  const best = summary.best;
  const text = best ? `Sweep done: best ${best.label} (${summary.objective} ${best.value === null ? '-' : Number(best.value.toPrecision(4))})${summary.registered ? `, registered as ${summary.registered.name} v${summary.registered.version}` : ''}.` : 'Sweep done: no run finished with a value.';
  void vscode.window.showInformationMessage(text, 'Compare Metrics', 'Show Leaderboard').then((c) => {
    if (c === 'Compare Metrics') void runCommand(Commands.runsOpenMetrics, summary.runs[0]?.run_id, summary.runs.map((r) => r.run_id));
    if (c === 'Show Leaderboard') void runCommand(Commands.showLeaderboard);
  });
  return summary;
}
