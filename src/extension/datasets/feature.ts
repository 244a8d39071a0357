// The Datasets feature: the `tunix.datasets` view, Build Dataset (a short multi-step input),
// export, the manifest, the stats panel, delete, Train on This Dataset (hands the key to the
// Runs feature's Start Training Run) and Generate Sample Traces. Nothing here
// touches the database at activation: the shared store opens on first use.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { Feature } from '../platform/feature';
import type { ExtensionContextServices } from '../platform/services';
import { storeService, type StoreService } from '../platform/storeService';
import { askBuildSettings, runBuild, type BuildSettings } from './buildCommand';
import { DatasetStatsPanels } from './datasetStatsPanel';
import { DatasetsTreeProvider, type DatasetsNode } from './datasetsTree';
import { exportFlow, type ExportPreset } from './exportCommand';
import { askGenerateSettings, IMPORT_ACTION, OPEN_ACTION, writeSamples } from './generateCommand';
import { Commands, runCommand } from '../platform/commands';

/** Where the running feature's parts are published for the integration tests (process-wide, shared across bundles). */
export const DATASETS_FEATURE_HOOK = Symbol.for('tunix-rt.datasets.feature');

export interface DatasetsFeatureParts {
  stores: StoreService;
  tree: DatasetsTreeProvider;
  view: vscode.TreeView<DatasetsNode>;
  stats: DatasetStatsPanels;
}

/** The dataset a command is about: a tree node (dataset or split), a key string, or nothing (then ask). */
export function datasetArg(arg: unknown): { key?: string; split?: string } {
  if (typeof arg === 'string' && arg.trim()) return { key: arg.trim() };
  if (arg && typeof arg === 'object') {
    const node = arg as Partial<DatasetsNode>;
    if (node.kind === 'dataset') return { key: (node as Extract<DatasetsNode, { kind: 'dataset' }>).dataset.dataset_key };
    if (node.kind === 'split') {
      const s = node as Extract<DatasetsNode, { kind: 'split' }>;
      return { key: s.dataset.dataset_key, split: s.split };
    }
  }
  return {};
}

async function pickDataset(stores: StoreService, title: string): Promise<string | undefined> {
  if (!stores.exists()) throw new UserError('No datasets yet: the trace database does not exist. Import or generate traces, then build a dataset.');
  const store = await stores.open();
  const { listDatasets } = await import('../../core/dataset/repository');
  const list = listDatasets(store);
  if (!list.length) throw new UserError('No datasets yet. Build one first (Tunix: Build Dataset…).');
  const picked = await vscode.window.showQuickPick(
    list.map((d) => ({
      label: d.dataset_key,
      description: `${d.trace_count.toLocaleString('en-US')} traces`,
      detail: `${Object.entries(d.splits).map(([k, n]) => `${k} ${n}`).join(', ')} · built ${new Date(d.created_at).toLocaleString()}`,
    })),
    { title, placeHolder: 'Pick a dataset' },
  );
  return picked?.label;
}

export const datasetsFeature: Feature = {
  name: 'datasets',
  register(s: ExtensionContextServices) {
    const stores = storeService(s);
    const tree = s.track(new DatasetsTreeProvider(stores, s.log));
    const view = s.track(vscode.window.createTreeView('tunix.datasets', { treeDataProvider: tree, showCollapseAll: true }));
    const keyOf = async (arg: unknown, title: string) => datasetArg(arg).key ?? (await pickDataset(stores, title));

    const exportDataset = async (arg?: unknown, preset?: ExportPreset) => {
      const { key, split } = datasetArg(arg);
      const chosen = key ?? (await pickDataset(stores, 'Export Dataset'));
      return chosen ? exportFlow(stores, chosen, split, preset) : undefined;
    };
    const openManifest = async (arg?: unknown) => {
      const key = await keyOf(arg, 'Open Dataset Manifest');
      if (!key) return undefined;
      const store = await stores.open();
      const { manifestPath } = await import('../../core/dataset/manifest');
      const { getManifest } = await import('../../core/dataset/repository');
      const manifest = getManifest(store, key); // a clear error when the dataset is gone
      const file = manifestPath(store.path, key);
      if (fs.existsSync(file)) return vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
      // The file was removed by hand: show the database's copy, and say so.
      void vscode.window.showWarningMessage(`${file} is missing; showing the copy kept in the database.`);
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(manifest, null, 2) + '\n' });
      return vscode.window.showTextDocument(doc, { preview: true });
    };
    const stats = s.track(new DatasetStatsPanels(s, stores, { exportDataset, openManifest }));
    (globalThis as Record<symbol, unknown>)[DATASETS_FEATURE_HOOK] = { stores, tree, view, stats } satisfies DatasetsFeatureParts;

    s.registerCommand(Commands.refreshDatasets, () => tree.refresh());

    // With settings ({name, version, ...} as BuildOptions takes them) it builds without asking.
    s.registerCommand(Commands.buildDataset, async (preset?: BuildSettings) => {
      if (!stores.exists()) throw new UserError('There are no traces to build from yet. Import traces (Tunix: Import Traces…) or generate samples (Tunix: Generate Sample Traces…) first.');
      const settings = preset?.name && preset.version ? preset : await askBuildSettings(stores);
      if (!settings) return undefined;
      const result = await runBuild(stores, settings);
      if (!result) return undefined;
      tree.refresh();
      const m = result.manifest;
      const splits = Object.entries(m.splits.counts).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ');
      void vscode.window
        .showInformationMessage(`Built dataset ${m.dataset_key}: ${m.trace_count.toLocaleString('en-US')} traces (${splits}).`, 'Show Stats', 'Export…')
        .then((c) => {
          if (c === 'Show Stats') stats.show(m.dataset_key);
          else if (c === 'Export…') void runCommand(Commands.exportDataset, m.dataset_key);
        });
      return result;
    });

    s.registerCommand(Commands.exportDataset, exportDataset);
    s.registerCommand(Commands.openDatasetManifest, openManifest);

    s.registerCommand(Commands.showDatasetStats, async (arg?: unknown) => {
      const key = await keyOf(arg, 'Show Dataset Stats');
      return key ? stats.show(key) : undefined;
    });

    // The Runs feature owns starting a run; from a dataset node it opens with that dataset chosen.
    s.registerCommand(Commands.trainOnDataset, async (arg?: unknown) => {
      const key = await keyOf(arg, 'Train on This Dataset');
      return key ? runCommand(Commands.startRun, key) : undefined;
    });

    s.registerCommand(Commands.deleteDataset, async (arg?: unknown, options?: { confirm?: boolean }) => {
      const key = await keyOf(arg, 'Delete Dataset');
      if (!key) return undefined;
      if (options?.confirm !== false) {
        const choice = await vscode.window.showWarningMessage(
          `Delete dataset ${key}?`,
          { modal: true, detail: 'Its manifest is deleted from the database and from disk. The traces stay; exported files stay.' },
          'Delete',
        );
        if (choice !== 'Delete') return undefined;
      }
      const store = await stores.open();
      const { deleteDataset } = await import('../../core/dataset/repository');
      const r = await deleteDataset(store, store.path, key);
      tree.refresh();
      vscode.window.setStatusBarMessage(`$(trash) Deleted dataset ${key}`, 4000);
      return r;
    });

    s.registerCommand(Commands.generateSamples, async (args?: { task?: string; count?: number; seed?: number; import?: boolean }) => {
      const settings = await askGenerateSettings(args as never);
      if (!settings) return undefined;
      const uri = await writeSamples(settings);
      if (!uri) return undefined;
      s.log.info(`Generated ${settings.count} ${settings.task} traces (seed ${settings.seed}) into ${uri.fsPath}`);
      if (args?.import) {
        await runCommand(Commands.importTraces, uri);
        return uri;
      }
      void vscode.window
        .showInformationMessage(`Wrote ${settings.count.toLocaleString('en-US')} ${settings.task} traces to ${vscode.workspace.asRelativePath(uri)}.`, IMPORT_ACTION, OPEN_ACTION)
        .then(async (c) => {
          if (c === IMPORT_ACTION) await runCommand(Commands.importTraces, uri);
          else if (c === OPEN_ACTION) await vscode.window.showTextDocument(uri);
        });
      return uri;
    });
  },
};
