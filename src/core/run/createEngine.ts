// Wires a RunEngine for a database with the bundled launcher and trainer (dist/), the store's
// dataset export as its data step, and the runs folder beside the database. The CLI and the
// extension both start here; tests build RunEngine directly to swap the trainer.
import * as path from 'node:path';
import type { Store } from '../store/store';
import { storeDataPreparer } from './datasetPreparer';
import { RunEngine, type RunEngineOptions } from './engine';
import { runsRootFor } from './runFolder';

export interface CreateEngineOptions extends Partial<Omit<RunEngineOptions, 'store' | 'runsRoot' | 'launcherPath' | 'builtinCommand' | 'prepareData'>> {
  store: Store;
  databasePath: string;
  /** The folder holding launcher.js and trainer.js (the bundle's own folder). */
  distDir: string;
  trusted: boolean;
}

export function createRunEngine(o: CreateEngineOptions): RunEngine {
  const nodePath = o.nodePath ?? process.execPath;
  return new RunEngine({
    ...o,
    store: o.store,
    runsRoot: runsRootFor(o.databasePath),
    prepareData: storeDataPreparer(o.store),
    launcherPath: path.join(o.distDir, 'launcher.js'),
    builtinCommand: [nodePath, path.join(o.distDir, 'trainer.js')],
    nodePath,
    trusted: o.trusted,
  });
}
