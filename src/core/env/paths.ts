import * as path from 'node:path';

/** The default database location, relative to the workspace folder. */
export const DEFAULT_DATABASE_RELATIVE = path.join('.tunix', 'tunix.db');

/**
 * Resolves the database path: empty means the default under the workspace folder; a
 * relative path is taken relative to the workspace folder; `~` expands to the home folder.
 */
export function resolveDatabasePath(workspaceFolder: string, configured: string | undefined): string {
  const value = (configured ?? '').trim();
  if (!value) return path.join(workspaceFolder, DEFAULT_DATABASE_RELATIVE);
  const home = process.env.HOME ?? process.env.USERPROFILE ?? '';
  const expanded = value === '~' ? home : value.startsWith('~/') ? path.join(home, value.slice(2)) : value;
  return path.resolve(workspaceFolder, expanded);
}

/**
 * Joins `relative` under `root` and refuses anything that would escape it (`..`, absolute
 * paths, drive letters). Paths that come from data (dataset keys, run ids, file names in
 * manifests) always go through here.
 */
export function confinedJoin(root: string, ...relative: string[]): string {
  const base = path.resolve(root);
  const joined = path.resolve(base, ...relative);
  const rel = path.relative(base, joined);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return joined;
  throw new Error(`Path "${relative.join('/')}" escapes its folder "${root}"; use a name without "..", slashes to outside, or an absolute path.`);
}
