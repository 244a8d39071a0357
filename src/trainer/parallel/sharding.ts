// How data-parallel training divides the work: how many threads, and which examples each
// thread takes. Kept free of tfjs so it is cheap to import and test.
import * as os from 'node:os';
import type { ResolvedConfig } from '../config';

/** Below this many FLOPs per step, `auto` stays on one thread: syncing would cost more than it saves. */
export const PARALLEL_MIN_STEP_FLOPS = 1e9;

/**
 * Threads for data-parallel training: only the single-threaded CPU backends gain from more,
 * and only when a step is big enough (`stepFlops`, about 6 x parameters x tokens).
 */
export function threadsFor(config: Pick<ResolvedConfig, 'threads' | 'training'>, backend: string, stepFlops: number): number {
  if (backend !== 'wasm' && backend !== 'cpu') return 1;
  if (config.threads === 'auto' && stepFlops < PARALLEL_MIN_STEP_FLOPS) return 1;
  const wanted = config.threads === 'auto' ? Math.min(4, os.availableParallelism?.() ?? os.cpus().length) : config.threads;
  return Math.max(1, Math.min(wanted, config.training.batch_size));
}

/** `items` in `parts` contiguous runs whose lengths differ by at most one. */
export function splitEvenly<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const size = Math.floor(items.length / parts) + (p < items.length % parts ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

