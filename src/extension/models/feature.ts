// The Models feature: the `tunix.models` view and the model registry's commands: Register
// Model… (a completed run's model as the next version of a name), open a version's manifest,
// open the run that trained it, verify its files, delete it. Core decides everything
// (src/core/registry); this layer asks, shows and refreshes.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { ModelVersion } from '../../core/registry/modelRegistry';
import type { RunRecord } from '../../core/run/types';
import type { Feature } from '../platform/feature';
import type { ExtensionContextServices } from '../platform/services';
import { storeService } from '../platform/storeService';
import { ModelsTreeProvider, type ModelsNode } from './modelsTree';
import { Commands, runCommand } from '../platform/commands';

/** Where the running feature's parts are published for the integration tests (process-wide). */
export const MODELS_FEATURE_HOOK = Symbol.for('tunix-rt.models.feature');

/** Arguments a caller (a test, another command) may pass to skip the questions. */
export interface RegisterModelArgs {
  run?: string;
  name?: string;
  description?: string;
}

function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.trim()) return arg.trim();
  const node = arg as { kind?: string; run?: RunRecord; runId?: unknown } | undefined;
  if (node?.kind === 'run' && node.run) return node.run.id;
  return typeof node?.runId === 'string' ? node.runId : undefined;
}

function versionOf(arg: unknown): ModelVersion | undefined {
  const node = arg as ModelsNode | undefined;
  return node?.kind === 'version' ? node.version : undefined;
}

/** A short default name for a run's model: its dataset's name ("addition" for addition-v1). */
function suggestedName(run: RunRecord): string {
  const base = (run.datasetKey ?? run.recipe).replace(/-[^-]+$/, '') || run.recipe;
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.slice(0, 64) || 'model';
}

export const modelsFeature: Feature = {
  name: 'models',
  register(s: ExtensionContextServices) {
    const stores = storeService(s);
    const tree = s.track(new ModelsTreeProvider(stores));
    const view = s.track(vscode.window.createTreeView('tunix.models', { treeDataProvider: tree }));
    (globalThis as Record<symbol, unknown>)[MODELS_FEATURE_HOOK] = { tree, view };


    /** The version a command is about: the tree node, "name@version", or one picked from a list. */
    const pickVersion = async (arg: unknown, title: string): Promise<ModelVersion | undefined> => {
      const fromNode = versionOf(arg);
      if (fromNode) return fromNode;
      if (!stores.exists()) throw new UserError('No models are registered yet. Register a completed run with "Tunix: Register Model…".');
      const store = await stores.open();
      const { getModelVersion, listModelVersions } = await import('../../core/registry/modelRegistry');
      if (typeof arg === 'string') return store.read((q) => getModelVersion(q, store.path, arg));
      const all = store.read((q) => listModelVersions(q, store.path));
      if (!all.length) throw new UserError('No models are registered yet. Register a completed run with "Tunix: Register Model…".');
      const pick = await vscode.window.showQuickPick(
        all.map((v) => ({ label: `${v.name} v${v.version}`, description: v.primaryScore === null ? 'not evaluated' : `${v.primaryScore.toFixed(3)} ${v.judge}`, detail: `${v.model} · ${v.runId}`, v })),
        { title, placeHolder: 'Pick a model version' },
      );
      return pick?.v;
    };

    s.registerCommand(Commands.registerModel, async (arg?: unknown) => {
      const given = (arg && typeof arg === 'object' && !('kind' in arg) ? arg : {}) as RegisterModelArgs;
      if (!stores.exists()) throw new UserError('There are no training runs yet. Start one with "Tunix: Start Training Run…", then register its model.');
      const store = await stores.open();
      const { getRun, listRuns, resolveRunId } = await import('../../core/run/runStore');
      const { registerModel, whyNotRegistrable, checkModelName } = await import('../../core/registry/modelRegistry');
      let runId = given.run ?? runIdOf(arg);
      if (!runId) {
        const done = store.read((q) => listRuns(q, { status: 'completed' })).filter((r) => !whyNotRegistrable(r));
        if (!done.length) throw new UserError('No completed run has model files to register. Train one with "Tunix: Start Training Run…".');
        const pick = await vscode.window.showQuickPick(
          done.map((r) => ({ label: r.name, description: r.datasetKey, detail: `${r.id} · ended ${r.endedAt ? new Date(r.endedAt).toLocaleString() : '?'}`, id: r.id })),
          { title: 'Register Model (1/2): the run whose model to register', matchOnDetail: true },
        );
        if (!pick) return undefined;
        runId = pick.id;
      }
      const run = store.read((q) => getRun(q, resolveRunId(q, runId!)))!;
      const why = whyNotRegistrable(run);
      if (why) throw new UserError(why);
      let name = given.name;
      if (name === undefined) {
        name = await vscode.window.showInputBox({
          title: 'Register Model (2/2): the model name',
          prompt: 'The run\'s model becomes the next version of this name (v1, v2, ...).',
          value: suggestedName(run),
          validateInput: (v) => {
            try {
              checkModelName(v.trim());
              return undefined;
            } catch (err) {
              return (err as Error).message;
            }
          },
        });
        if (name === undefined) return undefined;
      }
      const v = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Tunix: registering the model of ${run.id}…` }, () =>
        registerModel(store, { databasePath: store.path, run: run.id, name: name!.trim(), description: given.description }),
      );
      tree.refresh();
      s.log.info(`Registered ${v.name} v${v.version} from run ${v.runId} into ${v.dir}`);
      void vscode.window.showInformationMessage(`Registered ${v.name} v${v.version} (${v.primaryScore === null ? 'not evaluated' : `score ${v.primaryScore.toFixed(3)}`}).`, 'Open Manifest').then((c) => {
        if (c) void runCommand(Commands.modelsOpenManifest, `${v.name}@${v.version}`);
      });
      return { name: v.name, version: v.version, dir: v.dir };
    });

    s.registerCommand(Commands.modelsOpenManifest, async (arg?: unknown) => {
      const v = await pickVersion(arg, 'Open Model Manifest');
      if (!v) return undefined;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(`${v.dir}/model_version.json`));
      await vscode.window.showTextDocument(doc, { preview: true });
      return v.dir;
    });

    s.registerCommand(Commands.modelsOpenRun, async (arg?: unknown) => {
      const v = await pickVersion(arg, 'Open the Run of a Model');
      if (!v) return undefined;
      const store = await stores.open();
      const { getRun } = await import('../../core/run/runStore');
      if (!store.read((q) => getRun(q, v.runId))) throw new UserError(`Run ${v.runId}, which trained ${v.name} v${v.version}, has been deleted; the model's manifest keeps what is known of it.`);
      return runCommand(Commands.runsOpenMetrics, v.runId);
    });

    s.registerCommand(Commands.modelsVerify, async (arg?: unknown) => {
      const v = await pickVersion(arg, 'Verify Model Files');
      if (!v) return undefined;
      const { verifyModelVersion } = await import('../../core/registry/modelRegistry');
      const problems = verifyModelVersion(v);
      if (problems.length) void vscode.window.showWarningMessage(`${v.name} v${v.version} is damaged: ${problems.join('; ')}.`);
      else void vscode.window.showInformationMessage(`${v.name} v${v.version}: all ${v.manifest.files.length} files match their SHA-256.`);
      return problems;
    });

    s.registerCommand(Commands.modelsDelete, async (arg?: unknown, options?: { confirm?: boolean }) => {
      const v = await pickVersion(arg, 'Delete Model Version');
      if (!v) return undefined;
      if (options?.confirm !== false) {
        const choice = await vscode.window.showWarningMessage(
          `Delete ${v.name} v${v.version}?`,
          { modal: true, detail: `Its record and its files (${v.dir}) are deleted. The run that trained it is not touched. Version numbers are never reused.` },
          'Delete',
        );
        if (choice !== 'Delete') return undefined;
      }
      const store = await stores.open();
      const { deleteModelVersion } = await import('../../core/registry/modelRegistry');
      await deleteModelVersion(store, store.path, `${v.name}@${v.version}`);
      tree.refresh();
      vscode.window.setStatusBarMessage(`$(trash) Deleted ${v.name} v${v.version}`, 4000);
      return `${v.name}@${v.version}`;
    });

    s.registerCommand(Commands.modelsRefresh, () => tree.refresh());
  },
};
