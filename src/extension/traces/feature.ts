// The Traces feature: the `tunix.traces` view, the trace viewer and comparison panels, and
// the commands that import, search, filter, open, compare, score, copy and delete traces.
// Nothing here touches the database at activation: the store opens on first use
// (./storeService.ts).
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { ExtensionContextServices } from '../platform/services';
import type { Feature } from '../platform/feature';
import { askForInputs, inputsFromArgs, runImport, showInvalidLines, SHOW_INVALID_ACTION, SHOW_TRACES_ACTION } from './importCommand';
import { storeService, type StoreService } from '../platform/storeService';
import { TraceActions } from './traceActions';
import { TraceComparePanels, type TraceComparePanel } from './traceComparePanel';
import { pickTrace } from './tracePicker';
import { TracesTreeProvider, type TracesNode } from './tracesTree';
import { copyToClipboard, TraceViewerPanels, type TraceViewerPanel } from './traceViewerPanel';
import { Commands, runCommand } from '../platform/commands';

/** Where the running feature's parts are published for the integration tests (a process-wide symbol, shared across bundles). */
export const TRACES_FEATURE_HOOK = Symbol.for('tunix-rt.traces.feature');

export interface TracesFeatureParts {
  stores: StoreService;
  tree: TracesTreeProvider;
  view: vscode.TreeView<TracesNode>;
  viewers: TraceViewerPanels;
  comparisons: TraceComparePanels;
  actions: TraceActions;
}

/** A trace id from a command argument: a tree node, an id string, or a panel's trace. */
export function traceIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.trim()) return arg.trim();
  if (arg && typeof arg === 'object') {
    const node = arg as Partial<TracesNode>;
    if (node.kind === 'trace') return (node as Extract<TracesNode, { kind: 'trace' }>).trace.id;
  }
  return undefined;
}

/** The trace ids a context-menu command applies to: the multi-selection when the clicked node is part of it, else the clicked node. */
export function traceIdsOf(arg: unknown, selection: unknown): string[] {
  const clicked = traceIdOf(arg);
  if (Array.isArray(selection) && selection.length > 1) {
    const ids = selection.map(traceIdOf).filter((id): id is string => !!id);
    if (!clicked || ids.includes(clicked)) return [...new Set(ids)];
  }
  if (Array.isArray(arg)) return [...new Set(arg.map(traceIdOf).filter((id): id is string => !!id))];
  return clicked ? [clicked] : [];
}

export const tracesFeature: Feature = {
  name: 'traces',
  register(s: ExtensionContextServices) {
    const stores = storeService(s);
    const actions = new TraceActions(stores);
    const tree = s.track(new TracesTreeProvider(stores, s.log));
    const view = s.track(vscode.window.createTreeView('tunix.traces', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true }));
    tree.attach(view);
    void vscode.commands.executeCommand('setContext', 'tunix.traces.filtered', false);

    const open = (traceId: string): TraceViewerPanel => viewers.show(traceId);
    const compareWith = async (traceId: string): Promise<TraceComparePanel | undefined> => {
      const other = await pickTrace(stores, { title: `Compare ${traceId} with…`, exclude: traceId });
      return other ? comparisons.show(traceId, other) : undefined;
    };
    const confirmAndDelete = async (ids: string[], confirm = true) => {
      if (ids.length === 0) return 0;
      if (confirm) {
        const what = ids.length === 1 ? `the trace "${ids[0]}"` : `${ids.length} traces`;
        const choice = await vscode.window.showWarningMessage(
          `Delete ${what}?`,
          { modal: true, detail: 'Its scores go with it. This cannot be undone (import the file again to get it back).' },
          'Delete',
        );
        if (choice !== 'Delete') return 0;
      }
      const deleted = await actions.delete(ids);
      viewers.markDeleted(ids);
      vscode.window.setStatusBarMessage(`$(trash) Deleted ${deleted} trace${deleted === 1 ? '' : 's'}`, 4000);
      return deleted;
    };
    const filterByMeta = async (key: string, value: string | number | boolean | null) => {
      tree.setMetaFilter({ key, values: [value] });
      await runCommand(Commands.tracesFocus);
    };

    const viewers: TraceViewerPanels = s.track(new TraceViewerPanels(s, actions, { compareWith, delete: (id) => confirmAndDelete([id]), filterByMeta }));
    const comparisons: TraceComparePanels = s.track(new TraceComparePanels(s, actions, open));

    const parts: TracesFeatureParts = { stores, tree, view, viewers, comparisons, actions };
    (globalThis as Record<symbol, unknown>)[TRACES_FEATURE_HOOK] = parts;
    s.onDispose(() => {
      if ((globalThis as Record<symbol, unknown>)[TRACES_FEATURE_HOOK] === parts) delete (globalThis as Record<symbol, unknown>)[TRACES_FEATURE_HOOK];
    });

    s.registerCommand(Commands.importTraces, async (arg?: unknown, multi?: unknown) => {
      const inputs = inputsFromArgs(arg, multi) ?? (await askForInputs());
      if (!inputs) return undefined;
      const outcome = await runImport(s, stores, inputs);
      tree.refresh();
      const buttons = [...(outcome.report.invalidLines.length ? [SHOW_INVALID_ACTION] : []), SHOW_TRACES_ACTION];
      const show = outcome.report.invalid || outcome.report.cancelled ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      // Not awaited: the command finishes with the import; the buttons act whenever pressed.
      void show(outcome.summary, ...buttons).then(async (choice) => {
        if (choice === SHOW_INVALID_ACTION) await showInvalidLines(outcome.report);
        else if (choice === SHOW_TRACES_ACTION) await runCommand(Commands.tracesFocus);
      });
      return outcome;
    });

    s.registerCommand(Commands.searchTraces, async (text?: unknown) => {
      let value = typeof text === 'string' ? text : undefined;
      if (value === undefined) {
        value = await vscode.window.showInputBox({
          title: 'Search Traces',
          prompt: 'Words to find in prompts, steps and answers (all must occur; end a word with * to match a prefix). Empty clears the search.',
          placeHolder: 'e.g. carry addition',
          value: tree.activeFilter.text ?? '',
          validateInput: (v) => (v.trim() && !/[\p{L}\p{N}]/u.test(v) ? 'Type at least one letter or digit.' : undefined),
        });
        if (value === undefined) return undefined;
      }
      tree.setSearch(value);
      await runCommand(Commands.tracesFocus);
      await tree.getChildren();
      return tree.totals;
    });

    s.registerCommand(Commands.filterTraces, async (keyArg?: unknown, valuesArg?: unknown) => {
      const store = await stores.open();
      const api = await stores.api();
      let key = typeof keyArg === 'string' ? keyArg : undefined;
      if (!key) {
        const keys = api.metaKeys(store);
        if (keys.length === 0) throw new UserError('No trace has any meta keys to filter on. Meta is the optional "meta" object of each trace record.');
        const picked = await vscode.window.showQuickPick(
          keys.map((k) => ({ label: k.key, description: `${k.count.toLocaleString('en-US')} trace${k.count === 1 ? '' : 's'}` })),
          { title: 'Filter Traces (1/2): meta key', placeHolder: 'Which meta key to filter on' },
        );
        if (!picked) return undefined;
        key = picked.label;
      }
      let values = Array.isArray(valuesArg) ? (valuesArg as Array<string | number | boolean | null>) : undefined;
      if (!values) {
        const { values: found, truncated } = api.metaValues(store, key);
        const current = new Set((tree.activeFilter.filters ?? []).find((f) => f.key === key)?.values.map(String));
        const picked = await vscode.window.showQuickPick(
          found.map((v) => ({ label: v.value === null ? '(null)' : String(v.value), description: `${v.count.toLocaleString('en-US')} trace${v.count === 1 ? '' : 's'}`, value: v.value, picked: current.has(String(v.value)) })),
          { title: `Filter Traces (2/2): values of "${key}"${truncated ? ' (the most common shown)' : ''}`, placeHolder: 'Traces matching any picked value are shown', canPickMany: true },
        );
        if (!picked || picked.length === 0) return undefined;
        values = picked.map((p) => p.value);
      }
      tree.setMetaFilter({ key, values });
      await tree.getChildren();
      return tree.totals;
    });

    s.registerCommand(Commands.clearTraceFilter, () => tree.clearFilter());
    s.registerCommand(Commands.refreshTraces, async () => {
      await stores.refresh();
      tree.refresh();
    });
    s.registerCommand(Commands.tracesLoadMore, (node: TracesNode) => {
      if (node && (node.kind === 'loadMore' || node.kind === 'category')) return tree.loadMore(node);
      return undefined;
    });

    s.registerCommand(Commands.openTrace, async (arg?: unknown) => {
      const id = traceIdOf(arg) ?? (await pickTrace(stores, { title: 'Open Trace' }));
      return id ? open(id) : undefined;
    });

    s.registerCommand(Commands.openTraceById, async (arg?: unknown) => {
      let id = traceIdOf(arg);
      if (!id) {
        id = (await vscode.window.showInputBox({ title: 'Open Trace by Id', prompt: 'The trace id (as shown in the viewer, or the record\'s own "id")', validateInput: (v) => (v.trim() ? undefined : 'Type a trace id.') }))?.trim();
        if (!id) return undefined;
      }
      if (!(await actions.exists(id))) throw new UserError(`No trace with id "${id}" in the database ${stores.path}. Search for it with "Tunix: Search Traces...".`);
      const panel = open(id);
      await panel.loaded;
      return panel;
    });

    s.registerCommand(Commands.compareTraces, async (arg?: unknown, second?: unknown) => {
      let ids = traceIdsOf(arg, second);
      if (ids.length < 2 && typeof second === 'string') ids = [...ids, second];
      if (ids.length > 2) throw new UserError(`Select exactly two traces to compare (${ids.length} are selected).`);
      const left = ids[0] ?? (await pickTrace(stores, { title: 'Compare Traces (1/2): the first trace' }));
      if (!left) return undefined;
      const right = ids[1] ?? (await pickTrace(stores, { title: 'Compare Traces (2/2): the trace to compare it with', exclude: left }));
      if (!right) return undefined;
      const panel = comparisons.show(left, right);
      await panel.loaded;
      return panel;
    });

    s.registerCommand(Commands.compareTraceWith, async (arg?: unknown) => {
      const id = traceIdOf(arg);
      if (!id) return runCommand(Commands.compareTraces);
      const panel = await compareWith(id);
      await panel?.loaded;
      return panel;
    });

    s.registerCommand(Commands.scoreTrace, async (arg?: unknown, selection?: unknown) => {
      let ids = traceIdsOf(arg, selection);
      if (ids.length === 0) {
        const id = await pickTrace(stores, { title: 'Score Trace' });
        if (!id) return undefined;
        ids = [id];
      }
      const scores = await actions.scoreMany(ids);
      await Promise.all(ids.flatMap((id) => [viewers.refresh(id), comparisons.refreshTrace(id)]));
      const first = scores.get(ids[0]);
      if (ids.length === 1 && first) vscode.window.setStatusBarMessage(`$(beaker) Baseline score of ${ids[0]}: ${first.score} / ${first.max ?? 100}`, 6000);
      else vscode.window.setStatusBarMessage(`$(beaker) Scored ${scores.size} traces`, 6000);
      return Object.fromEntries(scores);
    });

    s.registerCommand(Commands.copyTraceId, async (arg?: unknown, selection?: unknown) => {
      const ids = traceIdsOf(arg, selection);
      if (ids.length === 0) throw new UserError('Select a trace in the Traces view to copy its id.');
      await copyToClipboard(ids.join('\n'), ids.length === 1 ? 'trace id' : `${ids.length} trace ids`);
      return ids;
    });

    s.registerCommand(Commands.deleteTrace, async (arg?: unknown, selection?: unknown, options?: { confirm?: boolean }) => {
      let ids = traceIdsOf(arg, selection);
      if (ids.length === 0) {
        const id = await pickTrace(stores, { title: 'Delete Trace' });
        if (!id) return 0;
        ids = [id];
      }
      return confirmAndDelete(ids, options?.confirm !== false);
    });
  },
};
