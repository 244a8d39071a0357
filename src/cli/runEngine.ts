// The run engine every CLI command uses: the bundle's own launcher and trainer, trusted (the
// person typed the command), watching only its own runs (a terminal adopts nothing), one run
// at a time unless told otherwise. An external command it did not submit (`runs resume` of a
// run started elsewhere) runs because the user named that run, and is printed first.
import type { Store } from '../core/store/store';
import { createRunEngine, type CreateEngineOptions } from '../core/run/createEngine';
import type { RunEngine } from '../core/run/engine';
import { formatCommandLine } from '../core/run/externalCommand';
import type { Io } from './command';

export function cliRunEngine(store: Store, io: Io, options: Partial<Omit<CreateEngineOptions, 'store'>> = {}): RunEngine {
  return createRunEngine({
    databasePath: store.path,
    distDir: __dirname,
    trusted: true,
    attachToOthers: false,
    maxConcurrent: 1,
    confirmExternal: async (r, argv) => {
      io.err(`Run ${r.id} runs its external command: ${formatCommandLine(argv)}\n`);
      return true;
    },
    ...options,
    store,
  });
}
