// The Runs view (`tunix.runs`): every training run of the workspace, newest first, with a
// status icon and a live description ("step 120/1000 · loss 0.83 · 3 min left"). Empty (so
// the welcome content shows) while there is no database or no run; looking at the view never
// creates a database.
import * as vscode from 'vscode';
import { describeRun, formatNumber } from '../../core/run/format';
import type { RunRecord, RunStatus } from '../../core/run/types';
import type { RunEngineService } from './engineService';
import type { StoreService } from '../platform/storeService';
import { RefreshingTree } from '../platform/refreshingTree';
import { Commands, commandFor } from '../platform/commands';

export const RUN_CONTEXT_PREFIX = 'tunix.run.';

export interface RunNode {
  kind: 'run';
  run: RunRecord;
}

const ICONS: Record<RunStatus, [string, string | undefined]> = {
  queued: ['clock', undefined],
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', undefined],
  interrupted: ['debug-pause', 'charts.yellow'],
};

const md = (s: string) => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

export function runTooltip(r: RunRecord): vscode.MarkdownString {
  const t = new vscode.MarkdownString(undefined, true);
  t.appendMarkdown(`**${md(r.name)}** · ${r.status}\n\n`);
  t.appendMarkdown(`\`${r.id}\`\n\n`);
  t.appendMarkdown(`Dataset \`${md(r.datasetKey)}\` · recipe ${md(r.recipe)} · backend ${md(r.environment?.backend ?? r.backend)}`);
  if (r.environment?.device) t.appendMarkdown(` (${md(String(r.environment.device))})`);
  t.appendMarkdown(` · seed ${r.seed}\n\n`);
  const p = r.progress;
  if (p?.step !== undefined) t.appendMarkdown(`Step ${p.step}${p.totalSteps ? ` of ${p.totalSteps}` : ''}${p.loss !== undefined ? ` · loss ${formatNumber(p.loss)}` : ''}${p.evalLoss !== undefined ? ` · eval loss ${formatNumber(p.evalLoss)}` : ''}\n\n`);
  t.appendMarkdown(`Created ${new Date(r.createdAt).toLocaleString()}${r.endedAt ? ` · ended ${new Date(r.endedAt).toLocaleString()}` : ''}${r.attempts > 1 ? ` · ${r.attempts} attempts` : ''}\n\n`);
  if (r.outcome?.reason) t.appendMarkdown(`**${r.status === 'failed' ? 'Why it failed' : 'Note'}:** ${md(r.outcome.reason)}\n\n`);
  if (r.status !== 'completed' && r.outcome?.lastLogLines?.length) t.appendCodeblock(r.outcome.lastLogLines.slice(-8).join('\n'), 'log');
  return t;
}

export class RunsTreeProvider extends RefreshingTree<RunNode> {
  private last: RunRecord[] = [];

  constructor(
    private readonly stores: StoreService,
    private readonly engines: RunEngineService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.disposables.push(
      engines.onDidChangeRuns(() => this.scheduleRefresh(150)),
      // Progress arrives several times a second per run: redraw at most once a second.
      engines.onDidProgress(() => this.scheduleRefresh(1000)),
    );
    this.followDatabase(stores);
  }

  /** The runs of the last listing (newest first). */
  get runs(): readonly RunRecord[] {
    return this.last;
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    const r = node.run;
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${r.id}`;
    const queuePosition = this.engines.peek()?.queuePosition(r.id);
    // A queued run in no queue of this window, in Restricted Mode: it came from elsewhere (a
    // closed window, a database in the workspace) and waits for the user, not for a slot.
    const waitsForTrust = r.status === 'queued' && queuePosition === undefined && !vscode.workspace.isTrusted;
    item.description = waitsForTrust ? 'queued · waits for workspace trust' : describeRun(r, { queuePosition });
    const [icon, color] = ICONS[r.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `${RUN_CONTEXT_PREFIX}${r.status}`;
    item.tooltip = runTooltip(r);
    item.command = commandFor(Commands.runsOpenMetrics, 'Open Metrics', node);
    item.accessibilityInformation = { label: `${r.name}, ${r.status}, ${item.description}` };
    return item;
  }

  protected children(node?: RunNode): Promise<RunNode[]> {
    return node ? Promise.resolve([]) : this.list();
  }

  private async list(): Promise<RunNode[]> {
    // No database yet: no runs, and the welcome content shows (nothing is created).
    if (!this.stores.exists()) {
      this.last = [];
      return [];
    }
    try {
      const engine = await this.engines.get();
      this.last = engine.list();
      return this.last.map((run) => ({ kind: 'run', run }));
    } catch (err) {
      this.log.warn(`Runs view: ${(err as Error).message}`);
      this.last = [];
      return [];
    }
  }
}
