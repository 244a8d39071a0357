// Lazy access to the evaluation core for the extension: the store (through the shared
// StoreService, so sql.js loads on first use, never at activation) and the eval modules.
import type { ExtensionContextServices } from '../platform/services';
import { storeService } from '../platform/storeService';

export type EvalModules = {
  evaluations: typeof import('../../core/eval/store/evaluations');
  leaderboard: typeof import('../../core/eval/leaderboard');
  baselines: typeof import('../../core/eval/baselines');
  regression: typeof import('../../core/eval/regression');
  comparison: typeof import('../../core/eval/runComparison');
  sources: typeof import('../../core/eval/evaluateSources');
  judges: typeof import('../../core/eval/judges/registry');
  runs: typeof import('../../core/run/runStore');
  runFacts: typeof import('../../core/eval/runFacts');
};

/**
 * The eval modules, imported on first use like every core module the extension uses (an
 * inline `import()`, which the bundle evaluates only then and caches): gathered in one object
 * because every eval command needs most of them.
 */
export async function evalModules(): Promise<EvalModules> {
  const [evaluations, leaderboard, baselines, regression, comparison, sources, judges, runs, runFacts] = await Promise.all([
    import('../../core/eval/store/evaluations'),
    import('../../core/eval/leaderboard'),
    import('../../core/eval/baselines'),
    import('../../core/eval/regression'),
    import('../../core/eval/runComparison'),
    import('../../core/eval/evaluateSources'),
    import('../../core/eval/judges/registry'),
    import('../../core/run/runStore'),
    import('../../core/eval/runFacts'),
  ]);
  return { evaluations, leaderboard, baselines, regression, comparison, sources, judges, runs, runFacts };
}

/** The open store of the workspace database and the eval modules. */
export async function evalContext(services: ExtensionContextServices) {
  const stores = storeService(services);
  const [store, m] = await Promise.all([stores.open(), evalModules()]);
  return { store, m, stores };
}
