// The leaderboard panel: one per window, ranked by core, refreshed when the database changes
// (our evaluations, another window's, the CLI's). Filters travel to core and back.
import * as vscode from 'vscode';
import { LEADERBOARD, NO_FILTERS, type LeaderboardFilters, type LeaderboardFromWebview, type LeaderboardState, type LeaderboardToWebview, type LeaderboardView } from '../../shared/leaderboardContract';
import type { ExtensionContextServices } from '../platform/services';
import { WebviewPanelHost } from '../platform/webview/panel';
import { storeService } from '../platform/storeService';
import { evalContext } from './evalCore';
import { isUserError } from '../../core/errors';

type Host = WebviewPanelHost<LeaderboardToWebview, LeaderboardFromWebview>;

export interface LeaderboardActions {
  openRun(runId: string): Thenable<unknown>;
  compare(evaluationIds: string[]): Thenable<unknown>;
  setBaseline(runId: string, judge: string): Thenable<unknown>;
  checkBaseline(runId: string): Thenable<unknown>;
  evaluate(): Thenable<unknown>;
}

export class LeaderboardPanel implements vscode.Disposable {
  private host: Host | undefined;
  private filters: LeaderboardFilters = NO_FILTERS;
  /** The last view posted (tests read it). */
  view: LeaderboardView | undefined;
  /** How many times a page loaded and said `ready` (its script ran under the CSP). */
  pageLoads = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly services: ExtensionContextServices,
    private readonly actions: LeaderboardActions,
  ) {
    services.track(
      vscode.window.registerWebviewPanelSerializer(LEADERBOARD.viewType, {
        deserializeWebviewPanel: async (panel, state: LeaderboardState | undefined) => {
          this.filters = { ...NO_FILTERS, ...(state?.filters ?? {}) };
          this.attach(WebviewPanelHost.adopt(panel, services.context.extensionUri, this.options()));
        },
      }),
    );
    services.track(storeService(services).onDidChange(() => this.host && void this.refresh()));
  }

  private options() {
    return { app: LEADERBOARD.app, viewType: LEADERBOARD.viewType, title: 'Tunix Leaderboard', iconPath: vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'tunix.svg'), log: this.services.log };
  }

  get isOpen(): boolean {
    return !!this.host && !this.host.isDisposed;
  }

  /** Opens (or reveals) the leaderboard and resolves once its data was posted. */
  async show(filters?: Partial<LeaderboardFilters>): Promise<void> {
    if (filters) this.filters = { ...NO_FILTERS, ...filters };
    if (this.isOpen) this.host!.reveal();
    else this.attach(WebviewPanelHost.create(this.services.context.extensionUri, this.options()));
    await this.refresh();
  }

  private attach(host: Host): void {
    this.host = host;
    host.onDidBecomeReady(() => {
      this.pageLoads++;
      if (this.view) host.post({ type: 'show', view: this.view });
    });
    host.onDidReceiveMessage((m) => void this.handle(m));
    host.onDidDispose(() => {
      if (this.host === host) this.host = undefined;
    });
    void this.refresh();
  }

  /** Re-queries core with the current filters and posts the result (serialized: the latest wins). */
  refresh(): Promise<void> {
    this.pending = this.pending.then(() => this.load()).catch(() => undefined);
    return this.pending;
  }

  private async load(): Promise<void> {
    const host = this.host;
    if (!host || host.isDisposed) return;
    try {
      const { store, m } = await evalContext(this.services);
      const f = this.filters;
      const view = store.read((q): LeaderboardView => {
        const rows = m.leaderboard.leaderboard(q, { judge: f.judge || undefined, dataset: f.dataset || undefined, since: f.since || undefined, until: f.until || undefined, text: f.text || undefined });
        const baselines = m.baselines.listBaselines(q);
        const checks = m.baselines.latestChecks(q);
        const total = m.evaluations.countEvaluations(q);
        return {
          rows: rows.map((r) => ({
            ...r,
            baselineOf: baselines.filter((b) => b.runId === r.run_id && b.judge === r.judge).map((b) => b.metric),
            checks: (r.run_id && checks.get(r.run_id)) || [],
          })),
          facets: m.leaderboard.leaderboardFacets(q),
          filters: f,
          baselines,
          totalEvaluations: total,
          databasePath: store.path,
        };
      });
      this.view = view;
      host.post({ type: 'show', view });
    } catch (err) {
      if (!isUserError(err)) this.services.log.error(`Leaderboard: ${(err as Error).stack ?? err}`);
      host.post({ type: 'failed', message: (err as Error).message });
    }
  }

  private async handle(m: LeaderboardFromWebview): Promise<void> {
    try {
      switch (m.type) {
        case 'filter':
          this.filters = { ...NO_FILTERS, ...m.filters };
          return await this.refresh();
        case 'refresh':
          await storeService(this.services).refresh();
          return await this.refresh();
        case 'openRun':
          return void (await this.actions.openRun(m.runId));
        case 'compare':
          return void (await this.actions.compare(m.evaluationIds));
        case 'setBaseline':
          return void (await this.actions.setBaseline(m.runId, m.judge));
        case 'checkBaseline':
          return void (await this.actions.checkBaseline(m.runId));
        case 'evaluate':
          return void (await this.actions.evaluate());
      }
    } catch (err) {
      // Actions run through registered commands, which report their own errors.
      this.services.log.warn(`Leaderboard action ${m.type} failed: ${(err as Error).message}`);
    }
  }

  dispose(): void {
    this.host?.dispose();
  }
}
