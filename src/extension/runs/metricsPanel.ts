// The training metrics panel: one panel per window showing one or more runs (open metrics
// shows one run; compare shows several overlaid). It follows each run's metrics files while
// the run is active (a run started from the CLI too), keeps every point in core's series model
// and sends the webview smoothed, min/max-decimated chart data, at most twice a second.
import * as vscode from 'vscode';
import type { MetricsFollower } from '../../core/run/metricsSource';
import type { RunSeries } from '../../core/run/metricsView';
import type { SkippedLine } from '../../core/run/metricsReader';
import type { RunRecord } from '../../core/run/types';
import { describeRun, formatProgress } from '../../core/run/format';
import { METRICS_PANEL, type MetricsFromWebview, type MetricsRunInfo, type MetricsState, type MetricsToWebview, type MetricsViewSettings, type XRange } from '../../shared/metricsContract';
import type { ExtensionContextServices } from '../platform/services';
import { WebviewPanelHost } from '../platform/webview/panel';
import type { RunEngineService } from './engineService';
import { Commands, runCommand } from '../platform/commands';

type Host = WebviewPanelHost<MetricsToWebview, MetricsFromWebview>;

/** Live updates are coalesced: at most one build per this many ms while runs train. */
const LIVE_INTERVAL_MS = 500;

interface Shown {
  series: RunSeries;
  follower: MetricsFollower;
  skipped: SkippedLine[];
  colorIndex: number;
  following: boolean;
}

export class MetricsPanel implements vscode.Disposable {
  private host: Host | undefined;
  private readonly shown = new Map<string, Shown>();
  private order: string[] = [];
  private nextColor = 0;
  private view: MetricsViewSettings = { xAxis: 'step', smoothing: 0.6 };
  private buckets = 800;
  private range: XRange | undefined;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastBuild = 0;
  private readonly disposables: vscode.Disposable[] = [];
  /** For tests and the benchmark: the last show's figures. */
  lastShow: { buildMs: number; points: number; sent: number; at: number } | undefined;

  constructor(
    private readonly services: ExtensionContextServices,
    private readonly engines: RunEngineService,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(METRICS_PANEL.viewType, {
        deserializeWebviewPanel: async (panel, state: MetricsState | undefined) => {
          const host = this.adopt(WebviewPanelHost.adopt(panel, services.context.extensionUri, this.options()));
          if (state?.xAxis) this.view = { xAxis: state.xAxis, smoothing: state.smoothing ?? this.view.smoothing };
          this.range = state?.range;
          if (!state?.runIds?.length) {
            host.post({ type: 'failed', message: 'This panel does not know which runs it showed. Open a run\'s metrics from the Runs view.' });
            return;
          }
          await this.setRuns(state.runIds);
        },
      }),
      engines.onDidChangeRuns(() => this.onRunsChanged()),
    );
  }

  get panel(): Host | undefined {
    return this.host && !this.host.isDisposed ? this.host : undefined;
  }

  /** The run ids shown, in legend order. */
  get runIds(): readonly string[] {
    return this.order;
  }

  private options() {
    return {
      app: METRICS_PANEL.app,
      viewType: METRICS_PANEL.viewType,
      title: 'Training Metrics',
      iconPath: vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'tunix.svg'),
      log: this.services.log,
    };
  }

  private adopt(host: Host): Host {
    this.host = host;
    host.onDidBecomeReady(() => this.schedule(0));
    host.onDidReceiveMessage((m) => void this.receive(m));
    host.onDidDispose(() => {
      if (this.host === host) {
        this.host = undefined;
        void this.setRuns([]);
      }
    });
    return host;
  }

  /** Shows these runs (replacing the ones shown, or added to them). */
  async show(runIds: string[], mode: 'replace' | 'add' = 'replace'): Promise<Host> {
    const host = this.panel ?? this.adopt(WebviewPanelHost.create(this.services.context.extensionUri, this.options()));
    host.reveal(undefined, false);
    await this.setRuns(mode === 'add' ? [...new Set([...this.order, ...runIds])] : runIds);
    return host;
  }

  private async setRuns(ids: string[]): Promise<void> {
    for (const id of [...this.shown.keys()]) {
      if (!ids.includes(id)) {
        const s = this.shown.get(id)!;
        await s.follower.stop();
        this.shown.delete(id);
      }
    }
    this.order = [...ids];
    this.range = ids.length ? this.range : undefined;
    const engine = ids.length ? await this.engines.get() : undefined;
    const { MetricsFollower } = await import('../../core/run/metricsSource');
    const { RunSeries } = await import('../../core/run/metricsView');
    for (const id of ids) {
      if (this.shown.has(id)) continue;
      const record = engine?.get(id);
      if (!record) {
        this.order = this.order.filter((x) => x !== id);
        continue;
      }
      const entry: Shown = { series: new RunSeries(), skipped: [], colorIndex: this.nextColor++, following: false, follower: undefined as unknown as MetricsFollower };
      entry.follower = new MetricsFollower(record.runDir, (batch) => {
        if (batch.reset) entry.series.clear();
        entry.series.append(batch.points);
        if (batch.skipped.length && entry.skipped.length < 20) entry.skipped.push(...batch.skipped.slice(0, 20 - entry.skipped.length));
        this.schedule(LIVE_INTERVAL_MS);
      });
      this.shown.set(id, entry);
      await entry.follower.poll();
      this.follow(id, record);
    }
    if (this.host) this.host.title = this.title();
    if (ids.length && !this.order.length) this.host?.post({ type: 'failed', message: 'These runs no longer exist (they were deleted).' });
    this.schedule(0);
  }

  /** Polls a run's files while it is active; one last read when it ends. */
  private follow(id: string, record: RunRecord): void {
    const entry = this.shown.get(id);
    if (!entry) return;
    const active = record.status === 'running' || record.status === 'queued';
    if (active && !entry.following) {
      entry.following = true;
      entry.follower.start();
    } else if (!active && entry.following) {
      entry.following = false;
      void entry.follower.stop();
    }
  }

  private onRunsChanged(): void {
    const engine = this.engines.peek();
    if (!engine || !this.order.length) return;
    for (const id of this.order) {
      const r = engine.get(id);
      if (r) this.follow(id, r);
    }
    this.panel?.post({ type: 'runs', runs: this.legend() });
  }

  private title(): string {
    const engine = this.engines.peek();
    if (this.order.length === 1) return `Metrics: ${engine?.get(this.order[0])?.name ?? this.order[0]}`;
    return `Metrics: ${this.order.length} runs`;
  }

  private legend(): MetricsRunInfo[] {
    const engine = this.engines.peek();
    return this.order.flatMap((id) => {
      const s = this.shown.get(id);
      const r = engine?.get(id);
      if (!s || !r) return [];
      return [{ id, name: r.name, status: r.status, description: describe(r), colorIndex: s.colorIndex, points: s.series.points, skipped: s.skipped.slice(0, 5) }];
    });
  }

  /** Coalesces builds: a live trickle of points costs one build per interval. */
  private schedule(delayMs: number): void {
    if (!this.panel) return;
    if (delayMs === 0) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.post(), 0);
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.lastBuild + delayMs - Date.now());
    this.timer = setTimeout(() => this.post(), wait);
  }

  private async post(): Promise<void> {
    this.timer = undefined;
    const host = this.panel;
    if (!host) return;
    const { buildCharts } = await import('../../core/run/metricsView');
    const started = performance.now();
    const engine = this.engines.peek();
    const labels = new Map(this.order.map((id) => [id, shortLabel(engine?.get(id), id, this.order.length)]));
    const charts = buildCharts(
      this.order.flatMap((id) => (this.shown.has(id) ? [{ id, series: this.shown.get(id)!.series }] : [])),
      { ...this.view, buckets: this.buckets, range: this.range, labels },
    );
    const buildMs = performance.now() - started;
    this.lastBuild = Date.now();
    const points = charts.reduce((s, c) => s + c.sourcePoints, 0);
    const sent = charts.reduce((s, c) => s + c.sentPoints, 0);
    this.lastShow = { buildMs, points, sent, at: Date.now() };
    host.post({ type: 'show', runs: this.legend(), charts, view: this.view, ...(this.range ? { range: this.range } : {}), seq: ++this.seq, buildMs });
  }

  private async receive(m: MetricsFromWebview): Promise<void> {
    switch (m.type) {
      case 'setView': {
        const axisChanged = m.xAxis !== this.view.xAxis;
        this.view = { xAxis: m.xAxis, smoothing: Math.min(0.99, Math.max(0, m.smoothing)) };
        this.buckets = Math.max(50, Math.min(8000, Math.round(m.buckets)));
        if (axisChanged) this.range = undefined;
        // A panel restored after a reload learns its runs from the webview's state.
        if (m.runIds?.length && !this.order.length) await this.setRuns(m.runIds);
        this.schedule(0);
        break;
      }
      case 'zoom':
        this.range = m.range && Number.isFinite(m.range.min) && Number.isFinite(m.range.max) && m.range.max > m.range.min ? m.range : undefined;
        this.schedule(0);
        break;
      case 'openLog':
        await runCommand(Commands.runsOpenLog, m.runId);
        break;
      case 'removeRun':
        await this.setRuns(this.order.filter((id) => id !== m.runId));
        break;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.shown.values()) void s.follower.stop();
    this.shown.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.host?.dispose();
  }
}

function describe(r: RunRecord): string {
  if (r.status === 'running' || r.status === 'queued') return formatProgress(r.progress);
  return describeRun(r);
}

/** Series labels: the run name alone for one run; name + short id when several may share a name. */
function shortLabel(r: RunRecord | undefined, id: string, count: number): string {
  const name = r?.name ?? id;
  return count > 1 ? `${name} (${id.slice(-4)})` : name;
}
