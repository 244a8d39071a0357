// environment.json: where the run computed (backend, device, versions, threads), written once
// the backend has started, so the run's record shows it even if training fails later.
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendHandle } from './backend';
import { TRAINER_FILES, type TrainerEnvironment } from './protocol';
import { writeJsonAtomicDurable } from './train/output';

export function environmentOf(backend: BackendHandle): TrainerEnvironment {
  return {
    backend: backend.name,
    tfjs_backend: backend.tfjsBackend,
    device: backend.device,
    device_info: backend.deviceInfo,
    ...(backend.skipped.length ? { skipped: backend.skipped } : {}),
    versions: backend.versions as TrainerEnvironment['versions'],
    threads: backend.threads,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.availableParallelism?.() ?? os.cpus().length,
  };
}

export function writeEnvironment(runDir: string, backend: BackendHandle): void {
  writeJsonAtomicDurable(path.join(runDir, TRAINER_FILES.environment), environmentOf(backend));
}
