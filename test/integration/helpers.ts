// Helpers for tests that run inside the real VS Code extension host (see index.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TunixApi } from '../../src/extension/platform/services';
import { DATASETS_FEATURE_HOOK, type DatasetsFeatureParts } from '../../src/extension/datasets/feature';

export const EXTENSION_ID = 'tunix-rt.tunix-rt';

/** Where index.ts leaves what activation loaded, before any test ran. */
export const ACTIVATION_SNAPSHOT = Symbol.for('tunix-rt.integration.activation');

export interface ActivationSnapshot {
  /** Whether something activated the extension before the test runner did. */
  wasActiveBeforeTests: boolean;
  heavyModulesAtActivation: string[];
}

export function activationSnapshot(): ActivationSnapshot | undefined {
  return (globalThis as Record<symbol, unknown>)[ACTIVATION_SNAPSHOT] as ActivationSnapshot | undefined;
}

export function extension(): vscode.Extension<TunixApi> {
  const ext = vscode.extensions.getExtension<TunixApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** Activates the extension (a no-op when active) and returns its API. */
export async function activate(): Promise<TunixApi> {
  return extension().activate();
}

/** package.json of the extension under test, as VS Code loaded it. */
export function packageJson(): any {
  return extension().packageJSON;
}

/** The first workspace folder (a temporary copy of samples/workspace). */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open; the runner opens a copy of samples/workspace');
  return folder.uri.fsPath;
}

/** Polls until `condition` returns something truthy; fails with `message` after the deadline. */
export async function waitFor<T>(condition: () => T | Promise<T>, message: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await condition();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The text of the "Tunix RT" log channel so far (VS Code writes log channels to a file). */
export function logText(api: TunixApi): string {
  const file = path.join(api.services.context.logUri.fsPath, 'Tunix RT.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** What a feature published for tests on globalThis under `hook` (its tree, its store service...); `feature` names it when missing. */
export function featureParts<T>(hook: symbol, feature: string): T {
  const parts = (globalThis as Record<symbol, unknown>)[hook] as T | undefined;
  assert.ok(parts, `the ${feature} feature published its parts`);
  return parts;
}

/** A new empty folder inside the workspace (so the extension may use it), named `prefix` + random characters. */
export function tempWorkspaceFolder(prefix: string): string {
  return fs.mkdtempSync(path.join(workspaceDir(), prefix));
}

/**
 * Points the `tunix.database.path` workspace setting at `dbPath` (undefined: back to the
 * default) so a suite has a database of its own; with `applied`, waits until it took effect.
 */
export async function setDatabasePath(dbPath: string | undefined, applied?: () => boolean): Promise<void> {
  await vscode.workspace.getConfiguration('tunix').update('database.path', dbPath, vscode.ConfigurationTarget.Workspace);
  if (applied) await waitFor(applied, 'the database setting to apply');
}

/**
 * Gives the calling suite a database of its own. Before its tests: a new folder in the
 * workspace, `prepare` (optional: fill the database, e.g. with the CLI), then the
 * `tunix.database.path` setting pointing at it, waited for until the window uses it. After
 * them: editors closed, the setting back to the default, the store closed, the folder removed.
 * The returned object's `dir` and `db` are set once the suite's `before` hooks ran.
 */
export function suiteDatabase(prefix: string, options: { file?: string; prepare?: (db: string, dir: string) => unknown } = {}): { dir: string; db: string } {
  const place = { dir: '', db: '' };
  before(async function () {
    this.timeout(240_000);
    const api = await activate();
    place.dir = tempWorkspaceFolder(prefix);
    place.db = path.join(place.dir, options.file ?? 'tunix.db');
    await options.prepare?.(place.db, place.dir);
    await setDatabasePath(place.db, () => api.services.databasePath() === place.db);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setDatabasePath(undefined);
    // The extension's one StoreService (published by a feature; a test bundle has its own module copies).
    await featureParts<DatasetsFeatureParts>(DATASETS_FEATURE_HOOK, 'datasets').stores.close(place.db);
    fs.rmSync(place.dir, { recursive: true, force: true });
  });
  return place;
}
