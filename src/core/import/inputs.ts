// Expands the paths given to an import into the files to read: files as given, folders
// walked recursively for *.jsonl (hidden folders and node_modules skipped), sorted so the
// order (and so the insertion order) is the same on every machine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';

export interface ImportFile {
  path: string;
  bytes: number;
}

function walk(dir: string, out: ImportFile[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(p, out);
    } else if (e.isFile() && e.name.toLowerCase().endsWith('.jsonl')) {
      out.push({ path: p, bytes: fs.statSync(p).size });
    }
  }
}

/** Every file to import, or a UserError naming the first path that does not exist. */
export function expandInputs(inputs: readonly string[]): ImportFile[] {
  if (inputs.length === 0) throw new UserError('Nothing to import: give one or more JSONL files or folders.');
  const out: ImportFile[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const abs = path.resolve(input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UserError(`File not found: ${input}`);
    }
    const found: ImportFile[] = [];
    if (stat.isDirectory()) walk(abs, found);
    else found.push({ path: abs, bytes: stat.size });
    for (const f of found) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      out.push(f);
    }
  }
  return out;
}
