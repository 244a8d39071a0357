// The extension's access to the trace database: one open Store per database path for the
// whole extension, opened on first use (sql.js loads then, never at activation), shared by
// every feature, closed on deactivate (closing compacts the journal into the file).
//
//   import { storeService } from './storeService';
//   const store = await storeService(services).open();        // UserError when no folder is open
//   const { queryTraces } = await storeService(services).api(); // the store module, loaded lazily
//
// A damaged database never gets overwritten: opening it shows a modal that offers to move
// the damaged files aside and start a new database (the old files are kept, renamed), to
// salvage a damaged journal, or to show the log.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { Store, StoreChange } from '../../core/store';
import type { ExtensionContextServices } from './services';

export type StoreModule = typeof import('../../core/store');
export type ImportModule = typeof import('../../core/import');

export interface DatabaseChange {
  /** The database path now in use (undefined when no folder is open). */
  path: string | undefined;
  /** What changed: the data of the open database, or which database is used (a setting or folder change). */
  kind: StoreChange['origin'] | 'database';
}

export const START_FRESH_ACTION = 'Start Fresh Database (keep the old file renamed)';
export const SALVAGE_ACTION = 'Keep What Is Readable (salvage the journal)';
export const SHOW_LOG_ACTION = 'Show Log';

export class StoreService implements vscode.Disposable {
  private readonly stores = new Map<string, Promise<Store>>();
  private readonly unsubscribe = new Map<string, () => void>();
  private readonly changeEmitter = new vscode.EventEmitter<DatabaseChange>();
  private readonly watchers = new Map<string, vscode.FileSystemWatcher>();
  private storeModule: Promise<StoreModule> | undefined;
  private importModule: Promise<ImportModule> | undefined;

  /** Fires when the data of the current database changed (our writes, another window's or the CLI's), or the database path changed. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly services: ExtensionContextServices) {
    services.track(this.changeEmitter);
    services.track(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tunix.database.path')) this.databaseChanged();
      }),
    );
    services.track(vscode.workspace.onDidChangeWorkspaceFolders(() => this.databaseChanged()));
  }

  /** The database path of the workspace (undefined when no folder is open). */
  get path(): string | undefined {
    return this.services.databasePath();
  }

  /** True when the database file exists (views use it to show their welcome content instead of creating an empty database). */
  exists(): boolean {
    const p = this.path;
    return !!p && fs.existsSync(p);
  }

  /** The store module (openStore, queryTraces, ...), loaded on first call. */
  api(): Promise<StoreModule> {
    this.storeModule ??= import('../../core/store').then((m) => {
      this.services.markHeavyLoaded('sql.js');
      return m;
    });
    return this.storeModule;
  }

  /** The import module (importTraces, ...), loaded on first call. */
  importer(): Promise<ImportModule> {
    this.importModule ??= import('../../core/import');
    return this.importModule;
  }

  /** The store already open for the current database, without opening one. */
  async peek(): Promise<Store | undefined> {
    const p = this.path;
    const pending = p ? this.stores.get(p) : undefined;
    return pending?.catch(() => undefined);
  }

  /**
   * The open store of the current database, opening (and creating) it on first use.
   * Throws a UserError when no folder is open, and vscode.CancellationError when the user
   * dismissed the damaged-database dialog (the dialog already said what was wrong).
   */
  open(): Promise<Store> {
    const dbPath = this.path;
    if (!dbPath) {
      return Promise.reject(new UserError('Open a folder first: the trace database lives in the workspace (.tunix/tunix.db, or the "tunix.database.path" setting).'));
    }
    let pending = this.stores.get(dbPath);
    if (!pending) {
      pending = this.openAt(dbPath);
      this.stores.set(dbPath, pending);
      pending.catch(() => {
        if (this.stores.get(dbPath) === pending) this.stores.delete(dbPath);
      });
    }
    return pending;
  }

  private async openAt(dbPath: string, salvageJournal = false): Promise<Store> {
    const api = await this.api();
    let store: Store;
    try {
      store = await api.openStore(dbPath, { purpose: 'a VS Code window', salvageJournal });
    } catch (err) {
      if (!api.isCorruptDatabaseError(err)) throw err;
      return this.recover(dbPath, err);
    }
    this.services.log.info(`Opened the trace database ${dbPath}`);
    const info = store.info();
    if (info.tornTail) this.services.log.warn(`${dbPath}: an interrupted write (never committed) was found at the end of the journal and ignored.`);
    if (info.salvaged) this.services.log.warn(`${dbPath}: salvaged the journal: ${JSON.stringify(info.salvaged)}`);
    this.unsubscribe.set(
      dbPath,
      store.onDidChange((e) => {
        if (dbPath === this.path) this.changeEmitter.fire({ path: dbPath, kind: e.origin });
      }),
    );
    this.watch(dbPath);
    return store;
  }

  private async recover(dbPath: string, err: InstanceType<StoreModule['CorruptDatabaseError']>): Promise<Store> {
    this.services.log.error(err.message);
    const actions = [START_FRESH_ACTION, ...(err.part === 'journal' ? [SALVAGE_ACTION] : []), SHOW_LOG_ACTION];
    const choice = await vscode.window.showErrorMessage('The trace database cannot be opened', { modal: true, detail: err.message }, ...actions);
    if (choice === START_FRESH_ACTION) {
      const api = await this.api();
      const moved = await api.startFresh(dbPath);
      this.services.log.warn(`Moved the damaged database aside: ${moved.join(', ')}. Starting a new, empty database at ${dbPath}.`);
      void vscode.window.showInformationMessage(`The damaged database was kept as ${moved[0] ?? 'its old name'}; a new, empty database is in use.`);
      return this.openAt(dbPath);
    }
    if (choice === SALVAGE_ACTION) return this.openAt(dbPath, true);
    if (choice === SHOW_LOG_ACTION) this.services.log.show(true);
    throw new vscode.CancellationError();
  }

  /** Other processes (the CLI, another window) change the files: catch up when they do. */
  private watch(dbPath: string): void {
    if (this.watchers.has(dbPath)) return;
    const uri = vscode.Uri.file(dbPath);
    const dir = vscode.Uri.joinPath(uri, '..');
    const name = dbPath.split(/[\\/]/).pop()!;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, `${name}*`));
    const poke = () => void this.refresh();
    watcher.onDidChange(poke);
    watcher.onDidCreate(poke);
    watcher.onDidDelete(poke);
    this.watchers.set(dbPath, watcher);
  }

  /** Catches up with other processes' changes (fires onDidChange when there were any). */
  async refresh(): Promise<void> {
    const store = await this.peek();
    try {
      store?.refresh();
    } catch (err) {
      this.services.log.warn(`Could not catch up with the database: ${(err as Error).message}`);
    }
  }

  private databaseChanged(): void {
    // Stores of other paths stay open until deactivate: an import may still be writing to one.
    this.changeEmitter.fire({ path: this.path, kind: 'database' });
  }

  /** Closes the store of one database path, if open (waits for its pending writes, compacts). */
  async close(dbPath: string): Promise<void> {
    const pending = this.stores.get(dbPath);
    if (!pending) return;
    this.stores.delete(dbPath);
    this.unsubscribe.get(dbPath)?.();
    this.unsubscribe.delete(dbPath);
    this.watchers.get(dbPath)?.dispose();
    this.watchers.delete(dbPath);
    try {
      await (await pending).close();
    } catch {
      // A store that failed to open has nothing to close.
    }
  }

  /** Closes every open store (waits for pending writes, compacts). */
  async closeAll(): Promise<void> {
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    for (const off of this.unsubscribe.values()) off();
    this.unsubscribe.clear();
    const pending = [...this.stores.values()];
    this.stores.clear();
    for (const p of pending) {
      try {
        const store = await p;
        await store.close();
      } catch {
        // A store that failed to open has nothing to close.
      }
    }
  }

  dispose(): void {
    void this.closeAll();
  }
}

const instances = new WeakMap<ExtensionContextServices, StoreService>();

/**
 * The extension's StoreService (created on first call; closed on deactivate). Every feature
 * that needs the database gets it here, so a database is opened once per window.
 */
export function storeService(services: ExtensionContextServices): StoreService {
  let s = instances.get(services);
  if (!s) {
    const created = new StoreService(services);
    s = created;
    instances.set(services, created);
    services.onDispose(() => created.closeAll());
  }
  return s;
}
