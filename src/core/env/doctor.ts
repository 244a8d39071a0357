import * as fs from 'node:fs';
import * as os from 'node:os';
import { detectBackends, type BackendStatus } from './backends';
import { VERSION } from '../version';

export interface DoctorReport {
  version: string;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  memoryGiB: number;
  database: { path: string; exists: boolean; sizeBytes?: number };
  backends: BackendStatus[];
  /** The backend `auto` would pick. */
  autoBackend: string;
}

export async function runDoctor(opts: { databasePath: string; probeGpu?: boolean }): Promise<DoctorReport> {
  const backends = await detectBackends({ probeWebGpu: opts.probeGpu ?? true });
  let sizeBytes: number | undefined;
  let exists = false;
  try {
    sizeBytes = fs.statSync(opts.databasePath).size;
    exists = true;
  } catch {
    /* not created yet */
  }
  return {
    version: VERSION,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    database: { path: opts.databasePath, exists, ...(exists ? { sizeBytes } : {}) },
    backends,
    autoBackend: backends.find((b) => b.available)?.name ?? 'cpu',
  };
}

export function formatDoctor(r: DoctorReport): string {
  const lines = [
    `Tunix RT ${r.version}`,
    `Node ${r.node} on ${r.platform}-${r.arch}, ${r.cpus} CPUs, ${r.memoryGiB} GiB`,
    `Database: ${r.database.path} (${r.database.exists ? `${r.database.sizeBytes} bytes` : 'not created yet'})`,
    'Training backends (best first):',
    ...r.backends.map((b) => `  ${b.available ? 'yes' : 'no '}  ${b.name.padEnd(7)} ${b.engine}: ${b.detail}`),
    `The "auto" setting picks: ${r.autoBackend}`,
  ];
  return lines.join('\n');
}
