// Confinement that also sees through links. `confinedJoin` (paths.ts) is lexical: it stops
// `..` and absolute paths in names that come from data. A workspace can also ship symbolic
// links (`.tunix/runs -> /home/me`, `runs/<id>/model -> ~/.ssh`), so every place that writes
// into, starts a process in, or copies out of a folder named by data checks here first that
// the real location, with every link resolved, is still inside the folder it belongs to.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';

/** Where `p` really is: its deepest existing ancestor with links resolved, plus the rest. */
export function realLocation(p: string): string {
  let existing = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(p);
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

/** True when `child` is `root` or below it (both absolute, compared as written). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Refuses `target` when, with links resolved, it is not inside `root` (with its links
 * resolved too). `what` names the folder in the message ("the run folder").
 */
export function assertRealInside(root: string, target: string, what: string): void {
  const realRoot = realLocation(root);
  const real = realLocation(target);
  if (!isInside(realRoot, real)) {
    throw new UserError(
      `${what} ${target} leads outside ${root} (a link to ${real}). Tunix RT does not follow links out of its folders; remove the link (it may have come with the workspace) and try again.`,
    );
  }
}

/**
 * The links below `dir` (relative to it) whose target is outside `dir` (or dangling), at most `limit` of them.
 * A folder a process is about to write in must have none: writing through one would land
 * outside. Links are not followed while walking.
 */
export function linksOutOf(dir: string, limit = 10): Array<{ link: string; target: string }> {
  const found: Array<{ link: string; target: string }> = [];
  let realDir: string;
  try {
    realDir = fs.realpathSync.native(dir);
  } catch {
    return found; // nothing there yet: nothing to write through
  }
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (found.length >= limit) return;
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) {
        let target: string;
        try {
          target = fs.realpathSync.native(p);
        } catch {
          target = path.resolve(d, fs.readlinkSync(p));
        }
        if (!isInside(realDir, target)) found.push({ link: path.relative(realDir, p), target });
      } else if (e.isDirectory()) walk(p);
    }
  };
  walk(realDir);
  return found;
}

/** Throws a UserError naming the links when `dir` holds any that lead outside it. */
export function assertNoLinksOut(dir: string, what: string): void {
  const links = linksOutOf(dir);
  if (!links.length) return;
  const list = links.map((l) => `${l.link} -> ${l.target}`).join(', ');
  throw new UserError(`${what} ${dir} holds links that lead outside it (${list}). Tunix RT does not write through links out of its folders; delete them and try again.`);
}
