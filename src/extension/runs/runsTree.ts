// The Runs view (`tunix.runs`): every training run of the workspace, newest first, with a
// status icon and a live description ("step 120/1000 · loss 0.83 · 3 min left"). Empty (so
// the welcome content shows) while there is no database or no run; looking at the view never
// creates a database.
import * as vscode from 'vscode';
import { describeRun, formatNumber } from '../../core/run/format';
import type { RunRecord, RunStatus } from '../../core/run/types';
import type { RunEngineService } from './engineService';
import type { StoreService } from '../traces/storeService';

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

export class RunsTreeProvider implements vscode.TreeDataProvider<RunNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private timer: NodeJS.Timeout | undefined;
  private last: RunRecord[] = [];
  private settled: Promise<void> = Promise.resolve();

  constructor(
    private readonly stores: StoreService,
    private readonly engines: RunEngineService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      engines.onDidChangeRuns(() => this.scheduleRefresh(150)),
      // Progress arrives several times a second per run: redraw at most once a second.
      engines.onDidProgress(() => this.scheduleRefresh(1000)),
      stores.onDidChange((e) => (e.kind === 'database' ? this.refresh() : this.scheduleRefresh(400))),
    );
  }

  /** The runs of the last listing (newest first). */
  get runs(): readonly RunRecord[] {
    return this.last;
  }

  refresh(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changeEmitter.fire(undefined);
  }

  private scheduleRefresh(ms: number): void {
    this.timer ??= setTimeout(() => this.refresh(), ms);
  }

  /** For tests: resolves when the last listing has been computed. */
  whenSettled(): Promise<void> {
    return this.settled;
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    const r = node.run;
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${r.id}`;
    item.description = describeRun(r, { queuePosition: this.engines.peek()?.queuePosition(r.id) });
    const [icon, color] = ICONS[r.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `${RUN_CONTEXT_PREFIX}${r.status}`;
    item.tooltip = runTooltip(r);
    item.command = { command: 'tunix.runs.openMetrics', title: 'Open Metrics', arguments: [node] };
    item.accessibilityInformation = { label: `${r.name}, ${r.status}, ${item.description}` };
    return item;
  }

  getChildren(node?: RunNode): Promise<RunNode[]> {
    const work = node ? Promise.resolve([]) : this.list();
    this.settled = work.then(
      () => undefined,
      () => undefined,
    );
    return work;
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

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
