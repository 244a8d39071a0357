// The status bar item for active training runs: "$(sync~spin) step 120/1000 · 3 min left"
// for one run, "2 runs training · 1 queued" for several; hidden when nothing trains. A click
// opens the running run's metrics (one run) or the Runs view (several).
import * as vscode from 'vscode';
import { formatDuration, formatProgress } from '../../core/run/format';
import type { RunRecord } from '../../core/run/types';
import type { RunEngineService } from './engineService';
import { Commands, commandFor } from '../platform/commands';

export class RunsStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('tunix.runs.status', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly engines: RunEngineService) {
    this.item.name = 'Tunix Training Runs';
    this.disposables.push(
      engines.onDidChangeRuns(() => this.schedule(100)),
      engines.onDidProgress(() => this.schedule(1000)),
    );
  }

  private schedule(ms: number): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, ms);
  }

  update(): void {
    const engine = this.engines.peek();
    let active: RunRecord[] = [];
    try {
      active = engine ? engine.list({ status: ['running', 'queued'] }) : [];
    } catch {
      active = [];
    }
    const running = active.filter((r) => r.status === 'running');
    const queued = active.length - running.length;
    if (!active.length) {
      this.item.hide();
      return;
    }
    if (running.length === 1) {
      const r = running[0];
      const p = r.progress ?? {};
      const parts = [p.step !== undefined ? (p.totalSteps ? `step ${p.step}/${p.totalSteps}` : `step ${p.step}`) : 'starting', ...(p.etaSeconds ? [`${formatDuration(p.etaSeconds)} left`] : [])];
      this.item.text = `$(sync~spin) ${parts.join(' · ')}${queued ? ` · ${queued} queued` : ''}`;
      this.item.command = commandFor(Commands.runsOpenMetrics, 'Open Metrics', r.id);
    } else {
      this.item.text = running.length ? `$(sync~spin) ${running.length} runs training${queued ? ` · ${queued} queued` : ''}` : `$(clock) ${queued} run${queued > 1 ? 's' : ''} queued`;
      this.item.command = 'tunix.runs.focus';
    }
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown('**Tunix training runs**\n\n');
    for (const r of active) tip.appendMarkdown(`- ${r.status === 'running' ? '$(sync~spin)' : '$(clock)'} ${r.name.replace(/[*_`[\]]/g, '')}: ${formatProgress(r.progress) || r.status}\n`);
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `Tunix: ${running.length} training, ${queued} queued` };
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
