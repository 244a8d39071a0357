// Final artefacts of a run, each replaced atomically (temporary file or folder, then rename):
// the model folder and JSON/JSONL files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NamedVariables } from '../model/tf';
import { TRAINER_FILES } from '../protocol';
import { toHost, writeDurable, writeTensors } from './tensorFile';

export function writeJsonAtomicDurable(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeDurable(tmp, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

export function writeJsonlAtomic(file: string, lines: readonly object[]): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeDurable(tmp, lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : ''));
  fs.renameSync(tmp, file);
}

/** Writes model/ (weights.json + weights.bin and the given JSON files) in one rename. */
export async function saveModelFolder(runDir: string, variables: NamedVariables, files: Record<string, unknown>): Promise<string> {
  const final = path.join(runDir, TRAINER_FILES.model);
  const tmp = `${final}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  writeTensors(tmp, 'weights', await toHost(variables));
  for (const [name, value] of Object.entries(files)) writeDurable(path.join(tmp, name), JSON.stringify(value, null, 1) + '\n');
  fs.rmSync(final, { recursive: true, force: true });
  fs.renameSync(tmp, final);
  return final;
}
