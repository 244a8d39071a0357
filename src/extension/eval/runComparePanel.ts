// Run comparison panels: one per set of evaluations (the first is the reference). Built by
// core (buildRunComparison); restored after a reload from the evaluation ids the page kept.
import * as vscode from 'vscode';
import { isUserError } from '../../core/errors';
import type { RunComparison } from '../../core/eval/runComparison';
import { RUN_COMPARE, type RunCompareFromWebview, type RunCompareState, type RunCompareToWebview } from '../../shared/runCompareContract';
import type { ExtensionContextServices } from '../platform/services';
import { WebviewPanelHost } from '../platform/webview/panel';
import { evalContext } from './evalCore';

type Host = WebviewPanelHost<RunCompareToWebview, RunCompareFromWebview>;

export interface RunCompareActions {
  openRun(runId: string): Thenable<unknown>;
  openTrace(itemId: string): Thenable<unknown>;
  /** Picks one more evaluation to add (undefined when dismissed). */
  pickAnother(exclude: string[]): Promise<string | undefined>;
  setBaseline(runId: string, judge: string): Thenable<unknown>;
}

const key = (ids: readonly string[]) => ids.join('|');

export class RunComparePanels implements vscode.Disposable {
  private readonly open = new Map<string, RunComparePanel>();

  constructor(
    private readonly services: ExtensionContextServices,
    private readonly actions: RunCompareActions,
  ) {
    services.track(
      vscode.window.registerWebviewPanelSerializer(RUN_COMPARE.viewType, {
        deserializeWebviewPanel: async (panel, state: RunCompareState | undefined) => {
          const host: Host = WebviewPanelHost.adopt(panel, services.context.extensionUri, this.options());
          if (!state?.evaluationIds || state.evaluationIds.length < 2) {
            host.post({ type: 'failed', message: 'This panel does not know which runs it compared. Run "Tunix: Compare Runs..." again.' });
            return;
          }
          this.attach(state.evaluationIds, host);
        },
      }),
    );
  }

  private options() {
    return { app: RUN_COMPARE.app, viewType: RUN_COMPARE.viewType, title: 'Compare Runs', iconPath: vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'tunix.svg'), log: this.services.log };
  }

  /** Opens (or reveals) the comparison of these evaluations; resolves once it was posted. */
  async show(evaluationIds: string[]): Promise<RunComparePanel> {
    const existing = this.open.get(key(evaluationIds));
    if (existing && !existing.host.isDisposed) {
      existing.host.reveal();
      await existing.loaded;
      return existing;
    }
    const panel = this.attach(evaluationIds, WebviewPanelHost.create(this.services.context.extensionUri, this.options()));
    await panel.loaded;
    return panel;
  }

  /** Every open comparison (tests inspect them). */
  panels(): RunComparePanel[] {
    return [...this.open.values()];
  }

  private attach(evaluationIds: string[], host: Host): RunComparePanel {
    const panel = new RunComparePanel(evaluationIds, host, this.services, this.actions, (before, after) => {
      if (this.open.get(before) === panel) this.open.delete(before);
      this.open.set(after, panel);
    });
    this.open.set(key(evaluationIds), panel);
    host.onDidDispose(() => {
      for (const [k, p] of this.open) if (p === panel) this.open.delete(k);
    });
    return panel;
  }

  dispose(): void {
    for (const p of this.open.values()) p.host.dispose();
    this.open.clear();
  }
}

export class RunComparePanel {
  comparison: RunComparison | undefined;
  /** Why the last build failed (shown in the panel too). */
  error: Error | undefined;
  loaded: Promise<void>;

  constructor(
    private evaluationIds: string[],
    readonly host: Host,
    private readonly services: ExtensionContextServices,
    private readonly actions: RunCompareActions,
    private readonly rekey: (before: string, after: string) => void,
  ) {
    host.onDidBecomeReady(() => this.post());
    host.onDidReceiveMessage((m) => void this.handle(m));
    this.loaded = this.load();
  }

  get ids(): readonly string[] {
    return this.evaluationIds;
  }

  private post(): void {
    if (this.comparison) this.host.post({ type: 'show', comparison: this.comparison });
  }

  /** Compares another set of evaluations in this panel (a new reference, a run added or removed). */
  async rebuild(ids: string[]): Promise<void> {
    const before = key(this.evaluationIds);
    this.evaluationIds = ids;
    this.rekey(before, key(ids));
    this.loaded = this.load();
    await this.loaded;
  }

  private async load(): Promise<void> {
    const ids = this.evaluationIds;
    this.host.post({ type: 'loading' });
    try {
      const { store, m } = await evalContext(this.services);
      this.comparison = await m.comparison.buildRunComparison(store, ids);
      this.error = undefined;
      const names = this.comparison.runs.map((r) => r.runId ?? 'files');
      this.host.title = `Compare ${names.length === 2 ? `${short(names[0])} ↔ ${short(names[1])}` : `${names.length} runs`}`;
      this.post();
    } catch (err) {
      if (!isUserError(err)) this.services.log.error(`Compare Runs: ${(err as Error).stack ?? err}`);
      this.comparison = undefined;
      this.error = err as Error;
      this.host.post({ type: 'failed', message: (err as Error).message });
    }
  }

  private async handle(msg: RunCompareFromWebview): Promise<void> {
    try {
      switch (msg.type) {
        case 'openTrace':
          return void (await this.actions.openTrace(msg.itemId));
        case 'openRun':
          return void (await this.actions.openRun(msg.runId));
        case 'setReference': {
          const rest = this.evaluationIds.filter((id) => id !== msg.evaluationId);
          return await this.rebuild([msg.evaluationId, ...rest]);
        }
        case 'removeRun': {
          const rest = this.evaluationIds.filter((id) => id !== msg.evaluationId);
          if (rest.length < 2) {
            void vscode.window.showWarningMessage('A comparison needs at least two runs; close the panel instead.');
            return;
          }
          return await this.rebuild(rest);
        }
        case 'addRun': {
          const id = await this.actions.pickAnother(this.evaluationIds);
          if (id) await this.rebuild([...this.evaluationIds, id]);
          return;
        }
        case 'setBaseline':
          return void (await this.actions.setBaseline(msg.runId, msg.judge));
      }
    } catch (err) {
      this.services.log.warn(`Compare Runs action ${msg.type} failed: ${(err as Error).message}`);
    }
  }
}

function short(id: string): string {
  return id.length > 16 ? `…${id.slice(-8)}` : id;
}
