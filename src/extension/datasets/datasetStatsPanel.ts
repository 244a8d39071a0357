// The dataset stats panels: one per dataset (showing a dataset that is already open reveals
// its panel), restored after a window reload from the key the webview kept. The data comes
// from core (datasetStatsView over the manifest); the panel only carries it.
import * as vscode from 'vscode';
import { isUserError } from '../../core/errors';
import { DATASET_STATS, type DatasetStatsFromWebview, type DatasetStatsState, type DatasetStatsToWebview } from '../../shared/datasetStatsContract';
import type { ExtensionContextServices } from '../platform/services';
import type { StoreService } from '../platform/storeService';
import { WebviewPanelHost } from '../platform/webview/panel';

type Host = WebviewPanelHost<DatasetStatsToWebview, DatasetStatsFromWebview>;

export interface DatasetStatsActions {
  exportDataset(key: string): Promise<unknown>;
  openManifest(key: string): Promise<unknown>;
}

export class DatasetStatsPanels implements vscode.Disposable {
  private readonly open = new Map<string, Host>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly services: ExtensionContextServices,
    private readonly stores: StoreService,
    private readonly actions: DatasetStatsActions,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(DATASET_STATS.viewType, {
        deserializeWebviewPanel: async (panel, state: DatasetStatsState | undefined) => {
          const host: Host = WebviewPanelHost.adopt(panel, services.context.extensionUri, this.options(state?.datasetKey ?? 'Dataset'));
          if (!state?.datasetKey) {
            host.post({ type: 'failed', message: 'This panel does not know which dataset it showed. Open it again from the Datasets view.' });
            return;
          }
          this.attach(state.datasetKey, host);
        },
      }),
      // A rebuilt or deleted dataset, or another window's change: refresh what is shown.
      stores.onDidChange(() => {
        // Imports commit many batches: one reload for all of them.
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          for (const [key, host] of this.open) void this.load(key, host);
        }, 400);
      }),
    );
  }

  show(key: string): Host {
    const existing = this.open.get(key);
    if (existing && !existing.isDisposed) {
      existing.reveal();
      return existing;
    }
    return this.attach(key, WebviewPanelHost.create(this.services.context.extensionUri, this.options(key)));
  }

  /** For tests: the panel of a dataset, if open. */
  panelOf(key: string): Host | undefined {
    return this.open.get(key);
  }

  private options(key: string) {
    return {
      app: DATASET_STATS.app,
      viewType: DATASET_STATS.viewType,
      title: `Dataset ${key}`,
      iconPath: vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'tunix.svg'),
      log: this.services.log,
    };
  }

  private attach(key: string, host: Host): Host {
    this.open.set(key, host);
    host.onDidBecomeReady(() => void this.load(key, host));
    host.onDidReceiveMessage(async (m) => {
      try {
        if (m.type === 'exportDataset') await this.actions.exportDataset(m.datasetKey);
        else if (m.type === 'openManifest') await this.actions.openManifest(m.datasetKey);
      } catch (err) {
        if (err instanceof vscode.CancellationError) return;
        const message = (err as Error).message;
        if (!isUserError(err)) this.services.log.error(`Dataset stats: ${(err as Error).stack ?? message}`);
        void vscode.window.showErrorMessage(message);
      }
    });
    host.onDidDispose(() => {
      if (this.open.get(key) === host) this.open.delete(key);
    });
    return host;
  }

  private async load(key: string, host: Host): Promise<void> {
    try {
      const store = await this.stores.open();
      const { getManifest, missingTraces } = await import('../../core/dataset/repository');
      const { datasetStatsView } = await import('../../core/dataset/statsView');
      const manifest = getManifest(store, key);
      const gone = missingTraces(store, key);
      host.post({ type: 'show', stats: datasetStatsView(manifest, gone.missing.length + gone.changed.length) });
    } catch (err) {
      if (err instanceof vscode.CancellationError) return;
      host.post({ type: 'failed', message: (err as Error).message });
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const host of this.open.values()) host.dispose();
    this.open.clear();
    for (const d of this.disposables) d.dispose();
  }
}
