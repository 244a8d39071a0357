// Click-through from the leaderboard and the comparison to a run. The Runs feature owns the
// run's own views: its metrics panel opens (`tunix.runs.openMetrics`); without the Runs
// feature the run's manifest opens in an editor (its folder holds metrics, logs, predictions).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { ExtensionContextServices } from '../platform/services';
import { evalContext } from './evalCore';
import { Commands, runCommand } from '../platform/commands';

export async function openRun(s: ExtensionContextServices, runId: string): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes(Commands.runsOpenMetrics)) {
    await runCommand(Commands.runsOpenMetrics, runId);
    return;
  }
  const { store, m } = await evalContext(s);
  const run = store.read((q) => m.runs.getRun(q, runId));
  if (!run) throw new UserError(`Run ${runId} is no longer in the database; its evaluations are kept.`);
  const manifest = path.join(run.runDir, 'run_manifest.json');
  const target = fs.existsSync(manifest) ? manifest : path.join(run.runDir, 'config.json');
  if (!fs.existsSync(target)) throw new UserError(`The folder of run ${runId} (${run.runDir}) is gone.`);
  await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: true });
}

/** Opens the trace an eval item came from (dataset splits use trace ids as item ids). */
export async function openItemTrace(itemId: string): Promise<void> {
  await runCommand(Commands.openTraceById, itemId);
}
