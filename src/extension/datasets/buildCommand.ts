// "Tunix: Build Dataset...": a six-step input (name, version, filters picked from the meta
// values present, selection, seed, splits), then the build with a cancellable progress
// notification. Core builds; this file only asks and reports.
import * as vscode from 'vscode';
import type { BuildResult } from '../../core/dataset/build';
import type { DedupMode } from '../../core/dataset/dedup';
import type { MetaFilters, SelectionStrategy } from '../../core/dataset/manifest';
import { isUserError, UserError } from '../../core/errors';
import type { StoreService } from '../platform/storeService';
import { BACK, MultiStepInput } from '../platform/multiStepInput';

/** What the dialog asks for (a caller may pass the same to skip it). */
export interface BuildSettings {
  name: string;
  version: string;
  filters?: MetaFilters;
  query?: string;
  selection?: SelectionStrategy;
  seed?: number;
  limit?: number;
  splits?: string;
  dedup?: DedupMode;
  overwrite?: boolean;
}

type BuildState = BuildSettings & { filters: MetaFilters; selection: SelectionStrategy; splits: string };

interface FilterItem extends vscode.QuickPickItem {
  key?: string;
  value?: string;
}

interface SelectionItem extends vscode.QuickPickItem {
  selection: SelectionStrategy;
}

// Keys with more distinct values than this are not offered as filters (ids, seeds of big runs).
const MAX_VALUES_PER_KEY = 40;

function messageOf(err: unknown): string | undefined {
  return isUserError(err) ? err.message : undefined;
}

/** Asks for the build settings; undefined when cancelled. */
export async function askBuildSettings(stores: StoreService): Promise<BuildSettings | undefined> {
  const store = await stores.open();
  const api = await stores.api();
  const { datasetKey } = await import('../../core/dataset/manifest');
  const { listDatasets } = await import('../../core/dataset/repository');
  const { parseSplits, DEFAULT_SPLITS } = await import('../../core/dataset/splits');
  const total = api.countTraces(store, {});
  if (total === 0) throw new UserError('The trace database is empty. Import or generate traces first (Tunix: Import Traces… or Tunix: Generate Sample Traces…).');
  const existing = new Set(listDatasets(store).map((d) => d.dataset_key));

  // The filter choices: every meta key=value present, with its trace count.
  const filterItems: FilterItem[] = [];
  for (const { key } of api.metaKeys(store)) {
    const { values, truncated } = api.metaValues(store, key, MAX_VALUES_PER_KEY);
    if (truncated || values.length < 2) continue; // nothing to choose between, or too many to list
    filterItems.push({ label: key, kind: vscode.QuickPickItemKind.Separator });
    for (const v of values) {
      if (v.value === null) continue;
      filterItems.push({ label: `${key} = ${v.value}`, description: `${v.count.toLocaleString('en-US')} traces`, key, value: String(v.value) });
    }
  }

  const state: BuildState = { name: 'dataset', version: '', filters: {}, selection: 'all', splits: DEFAULT_SPLITS };
  return MultiStepInput.run<BuildState>(
    'Build Dataset',
    [
      async (input, st) => {
        const v = await input.input({
          prompt: `Dataset name (the database holds ${total.toLocaleString('en-US')} traces)`,
          value: st.name,
          validate: (x) => messageOf(tryCall(() => datasetKey(x, 'v1'))),
        });
        if (v === BACK) return BACK;
        st.name = v.trim();
      },
      async (input, st) => {
        let k = 1;
        while (existing.has(safeKey(() => datasetKey(st.name, `v${k}`)))) k++;
        const v = await input.input({
          prompt: 'Version (a built dataset never changes: each build gets a new version)',
          value: st.version || `v${k}`,
          validate: (x) => {
            const err = messageOf(tryCall(() => datasetKey(st.name, x)));
            if (err) return err;
            return existing.has(datasetKey(st.name, x)) ? `${datasetKey(st.name, x)} already exists; choose another version.` : undefined;
          },
        });
        if (v === BACK) return BACK;
        st.version = v.trim();
      },
      async (input, st) => {
        if (!filterItems.length) return; // no meta to filter on
        const selected = filterItems.filter((i) => i.key && ([] as string[]).concat(st.filters[i.key] ?? []).includes(i.value!));
        const picked = await input.pick({ placeholder: 'Filter on meta values (none picked: every trace). Values of one key are alternatives.', items: filterItems, canSelectMany: true, selected });
        if (picked === BACK) return BACK;
        const filters: Record<string, string[]> = {};
        for (const p of picked) if (p.key) (filters[p.key] ??= []).push(p.value!);
        st.filters = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
      },
      async (input, st) => {
        const items: SelectionItem[] = [
          { label: 'All matching traces', description: 'all', detail: 'Every trace that matches, oldest import first', selection: 'all' },
          { label: 'Latest', description: 'latest', detail: 'The newest imports first, up to a limit', selection: 'latest' },
          { label: 'Random sample', description: 'random', detail: 'A reproducible sample (by seed), up to a limit', selection: 'random' },
        ];
        const picked = await input.pick({ placeholder: 'Which traces to take', items, selected: items.filter((i) => i.selection === st.selection) });
        if (picked === BACK) return BACK;
        st.selection = picked[0].selection;
      },
      async (input, st) => {
        const needsLimit = st.selection !== 'all';
        const v = await input.input({
          prompt: needsLimit
            ? 'Seed and optional limit, e.g. "42" or "42 1000" (the seed fixes the sample and the splits)'
            : 'Seed of the split assignment (the same seed always gives the same splits)',
          value: st.seed !== undefined ? `${st.seed}${st.limit ? ` ${st.limit}` : ''}` : '0',
          validate: (x) => {
            const parts = x.trim().split(/\s+/);
            if (!/^-?\d+$/.test(parts[0] ?? '')) return 'Type an integer seed.';
            if (!needsLimit && parts.length > 1) return 'Only a seed: "all" takes every matching trace.';
            if (parts.length > 2 || (parts[1] !== undefined && !/^[1-9]\d*$/.test(parts[1]))) return 'The limit is a whole number above 0, after the seed.';
            return undefined;
          },
        });
        if (v === BACK) return BACK;
        const [seed, limit] = v.trim().split(/\s+/);
        st.seed = Number(seed);
        st.limit = limit ? Number(limit) : undefined;
      },
      async (input, st) => {
        const v = await input.input({
          prompt: 'Splits: names and ratios summing to 1',
          value: st.splits,
          validate: (x) => messageOf(tryCall(() => parseSplits(x))),
        });
        if (v === BACK) return BACK;
        st.splits = v.trim();
      },
    ],
    state,
  );
}

function tryCall(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err;
  }
}

function safeKey(fn: () => string): string {
  try {
    return fn();
  } catch {
    return '';
  }
}

/** Builds with progress; undefined when cancelled. */
export async function runBuild(stores: StoreService, settings: BuildSettings): Promise<BuildResult | undefined> {
  const store = await stores.open();
  const { buildDataset } = await import('../../core/dataset/build');
  const { CancelledError } = await import('../../core/dataset/jsonlFile');
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Building dataset ${settings.name}-${settings.version}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await buildDataset(store, {
          ...settings,
          databasePath: store.path,
          provenance: { built_by: 'Tunix RT for VS Code' },
          signal: abort.signal,
          onProgress: (p) => progress.report({ message: p.phase === 'writing' ? `writing ${p.done.toLocaleString('en-US')} traces…` : `${p.phase} ${p.done.toLocaleString('en-US')}${p.total ? ` of ${p.total.toLocaleString('en-US')}` : ''} traces…` }),
        });
      } catch (err) {
        if (err instanceof CancelledError) return undefined;
        throw err;
      } finally {
        sub.dispose();
      }
    },
  );
}
