// The Runs feature: the `tunix.runs` view, Start Training Run…, open metrics / log /
// manifest, cancel, resume, delete, compare metrics, and the status bar item. The engine
// (and sql.js) start on first use; at activation only a cheap look at the run folders
// decides whether to re-attach to runs that outlived the previous window.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { RunRecord } from '../../core/run/types';
import type { Feature } from '../platform/feature';
import type { ExtensionContextServices } from '../platform/services';
import { storeService, type StoreService } from '../platform/storeService';
import { RunEngineService } from './engineService';
import { MetricsPanel } from './metricsPanel';
import { RunsTreeProvider, type RunNode } from './runsTree';
import { askStartRun } from './startRun';
import { RunsStatusBar } from './statusBar';
import { Commands } from '../platform/commands';

/** Where the running feature's parts are published for the integration tests (process-wide). */
export const RUNS_FEATURE_HOOK = Symbol.for('tunix-rt.runs.feature');

export interface RunsFeatureParts {
  stores: StoreService;
  engines: RunEngineService;
  tree: RunsTreeProvider;
  view: vscode.TreeView<RunNode>;
  metrics: MetricsPanel;
  statusBar: RunsStatusBar;
}

/** The run(s) a command is about: a tree node, a run id, the view's selection, or nothing (ask). */
function runIdsOf(arg: unknown, selected?: unknown): string[] {
  const one = (a: unknown): string | undefined => {
    if (typeof a === 'string' && a.trim()) return a.trim();
    if (a && typeof a === 'object' && (a as RunNode).kind === 'run') return (a as RunNode).run.id;
    return undefined;
  };
  if (Array.isArray(selected) && selected.length > 1) return selected.map(one).filter((x): x is string => !!x);
  const id = one(arg);
  return id ? [id] : [];
}

async function pickRun(engines: RunEngineService, stores: StoreService, title: string, filter: (r: RunRecord) => boolean = () => true): Promise<string | undefined> {
  if (!stores.exists()) throw new UserError('There are no training runs yet. Start one with "Tunix: Start Training Run…".');
  const engine = await engines.get();
  const runs = engine.list().filter(filter);
  if (!runs.length) throw new UserError('No training run fits. Start one with "Tunix: Start Training Run…".');
  const { describeRun } = await import('../../core/run/format');
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.name, description: describeRun(r), detail: `${r.id} · ${r.datasetKey}`, id: r.id })),
    { title, placeHolder: 'Pick a run', matchOnDetail: true },
  );
  return pick?.id;
}

export const runsFeature: Feature = {
  name: 'runs',
  register(s: ExtensionContextServices) {
    const stores = storeService(s);
    const engines = s.track(new RunEngineService(s, stores));
    const tree = s.track(new RunsTreeProvider(stores, engines, s.log));
    const view = s.track(vscode.window.createTreeView('tunix.runs', { treeDataProvider: tree, canSelectMany: true }));
    const metrics = s.track(new MetricsPanel(s, engines));
    const statusBar = s.track(new RunsStatusBar(engines));
    const parts: RunsFeatureParts = { stores, engines, tree, view, metrics, statusBar };
    (globalThis as Record<symbol, unknown>)[RUNS_FEATURE_HOOK] = parts;

    const oneRun = async (arg: unknown, title: string, filter?: (r: RunRecord) => boolean) => runIdsOf(arg)[0] ?? (await pickRun(engines, stores, title, filter));

    s.registerCommand(Commands.startRun, async (arg?: unknown) => {
      const datasetKey = typeof arg === 'string' ? arg : (arg as { kind?: string; dataset?: { dataset_key?: string } } | undefined)?.dataset?.dataset_key;
      const request = await askStartRun(stores, datasetKey);
      if (!request) return undefined;
      const engine = await engines.get();
      const run = await engine.submit(request);
      s.log.info(`Started run ${run.id} (${run.name}) in ${run.runDir}`);
      await metrics.show([run.id]);
      return run.id;
    });

    s.registerCommand(Commands.startSweep, async (arg?: unknown) => {
      const { startSweep } = await import('./startSweep');
      const args = typeof arg === 'string' ? { dataset: arg } : arg && typeof arg === 'object' && 'dataset' in arg && typeof (arg as { dataset: unknown }).dataset === 'object' ? { dataset: (arg as { dataset: { dataset_key: string } }).dataset.dataset_key } : ((arg ?? {}) as object);
      const summary = await startSweep(stores, s.distDir, s.log, args);
      tree.refresh();
      return summary;
    });

    s.registerCommand(Commands.runsOpenMetrics, async (arg?: unknown, selected?: unknown) => {
      const ids = runIdsOf(arg, selected);
      const chosen = ids.length ? ids : [await pickRun(engines, stores, 'Open Metrics')].filter((x): x is string => !!x);
      if (chosen.length) await metrics.show(chosen);
    });

    s.registerCommand(Commands.runsCompareMetrics, async (arg?: unknown, selected?: unknown) => {
      let ids = runIdsOf(arg, selected);
      if (ids.length < 2) {
        if (!stores.exists()) throw new UserError('There are no training runs to compare yet.');
        const engine = await engines.get();
        const runs = engine.list();
        if (runs.length < 2) throw new UserError(`Comparing needs at least two runs; this workspace has ${runs.length}.`);
        const picks = await vscode.window.showQuickPick(
          runs.map((r) => ({ label: r.name, description: r.status, detail: `${r.id} · ${r.datasetKey}`, id: r.id, picked: ids.includes(r.id) })),
          { title: 'Compare Metrics', placeHolder: 'Tick the runs to overlay', canPickMany: true, matchOnDetail: true },
        );
        if (!picks) return;
        ids = picks.map((p) => p.id);
        if (ids.length < 2) throw new UserError('Tick at least two runs to compare.');
      }
      await metrics.show(ids);
    });

    s.registerCommand(Commands.runsOpenLog, async (arg?: unknown) => {
      const id = await oneRun(arg, 'Open Run Log');
      if (!id) return;
      const r = (await engines.get()).resolve(id);
      const { runFiles } = await import('../../core/run/runFolder');
      const file = runFiles(r.runDir).output;
      if (!fs.existsSync(file)) throw new UserError(`Run ${r.id} has no log yet (${r.status === 'queued' ? 'it has not started' : 'its process wrote nothing'}).`);
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    });

    s.registerCommand(Commands.runsOpenManifest, async (arg?: unknown) => {
      const id = await oneRun(arg, 'Open Run Manifest');
      if (!id) return;
      const r = (await engines.get()).resolve(id);
      const { runFiles } = await import('../../core/run/runFolder');
      await vscode.window.showTextDocument(vscode.Uri.file(runFiles(r.runDir).manifest), { preview: true });
    });

    s.registerCommand(Commands.runsCancel, async (arg?: unknown) => {
      const id = await oneRun(arg, 'Cancel Run', (r) => r.status === 'running' || r.status === 'queued');
      if (!id) return;
      const engine = await engines.get();
      const r = engine.resolve(id);
      const ended = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Cancelling "${r.name}"…` }, () => engine.cancel(id));
      s.log.info(`Run ${ended.id}: ${ended.status}`);
    });

    s.registerCommand(Commands.runsResume, async (arg?: unknown) => {
      const id = await oneRun(arg, 'Resume Run', (r) => r.status === 'failed' || r.status === 'cancelled' || r.status === 'interrupted');
      if (!id) return;
      const engine = await engines.get();
      const r = await engine.resume(id);
      s.log.info(`Resuming run ${r.id} from its latest checkpoint`);
      await metrics.show([r.id]);
    });

    s.registerCommand(Commands.runsDelete, async (arg?: unknown, selected?: unknown) => {
      const ids = runIdsOf(arg, selected);
      const chosen = ids.length ? ids : [await pickRun(engines, stores, 'Delete Run', (r) => r.status !== 'running' && r.status !== 'queued')].filter((x): x is string => !!x);
      if (!chosen.length) return;
      const engine = await engines.get();
      const names = chosen.map((id) => engine.resolve(id).name);
      const what = chosen.length === 1 ? `"${names[0]}"` : `${chosen.length} runs`;
      const ok = await vscode.window.showWarningMessage(`Delete ${what}? Its run folder (metrics, checkpoints, model, predictions, logs) is removed from disk.`, { modal: true }, 'Delete');
      if (ok !== 'Delete') return;
      for (const id of chosen) await engine.delete(id);
    });

    s.registerCommand(Commands.runsRefresh, async () => {
      await stores.refresh();
      await engines.peek()?.reconcile();
      tree.refresh();
    });

    // Runs that outlived the previous window: re-attach soon after start-up, off the
    // activation path, and only when a run folder shows a live process.
    const timer = setTimeout(() => {
      if (engines.hasLiveRunFolders()) {
        s.log.info('Training runs from a previous session are still running: re-attaching.');
        void engines.get().then(
          () => statusBar.update(),
          (err) => s.log.warn(`Could not re-attach to running runs: ${(err as Error).message}`),
        );
      }
    }, 1500);
    s.onDispose(() => clearTimeout(timer));
  },
};
