// Data parallelism across threads for the CPU backends. tfjs-backend-wasm runs one thread
// under Node, so each extra core gets a worker with its own wasm instance: every step the
// batch is split into shards, the workers compute their shards' gradients while the main
// thread computes its own, and the main thread sums them (in a fixed order, so a run stays
// repeatable for a given thread count) and applies the optimizer.
import { Worker } from 'node:worker_threads';
import type { EncodedExample } from '../data/batches';
import type { NamedVariables } from '../model/tf';
import type { TransformerShape } from '../model/transformer';
import { GRADIENT_WORKER_KIND, type FromWorker, type GradientWorkerData } from './messages';

export interface RemoteGradients {
  /** Summed loss contributions of the remote shards (each already divided by the batch's normalizer). */
  lossSum: number;
  /** Summed remote gradients per parameter, flat. */
  grads: Map<string, Float32Array>;
}

export class GradientPool {
  private readonly params: Float32Array;
  private readonly grads: Float32Array[];
  private readonly offsets: number[] = [];
  private readonly sizes: number[] = [];

  private constructor(
    private readonly workers: Worker[],
    private readonly names: string[],
    params: SharedArrayBuffer,
    grads: SharedArrayBuffer[],
    shapes: number[][],
  ) {
    this.params = new Float32Array(params);
    this.grads = grads.map((g) => new Float32Array(g));
    let offset = 0;
    for (const shape of shapes) {
      const size = shape.reduce((a, b) => a * b, 1);
      this.offsets.push(offset);
      this.sizes.push(size);
      offset += size;
    }
  }

  /** Starts `count` workers running `script` (the trainer bundle) and waits until they are ready. */
  static async start(count: number, script: string, backend: 'wasm' | 'cpu', shape: TransformerShape, variables: NamedVariables, examples: readonly EncodedExample[]): Promise<GradientPool> {
    const names = [...variables.keys()];
    const shapes = names.map((n) => [...variables.get(n)!.shape]);
    const total = shapes.reduce((sum, s) => sum + s.reduce((a, b) => a * b, 1), 0);
    const params = new SharedArrayBuffer(total * 4);
    const grads = Array.from({ length: count }, () => new SharedArrayBuffer(total * 4));
    const workers = grads.map((g) => {
      const data: GradientWorkerData = { kind: GRADIENT_WORKER_KIND, backend, shape, names, shapes, params, grads: g, examples: examples.map((e) => ({ tokens: e.tokens, promptLength: e.promptLength })) };
      const worker = new Worker(script, { workerData: data, stdout: true, stderr: false });
      // stdout belongs to the protocol: whatever a worker prints there is dropped.
      worker.stdout.resume();
      return worker;
    });
    const pool = new GradientPool(workers, names, params, grads, shapes);
    try {
      await Promise.all(workers.map((w) => pool.next(w)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  private next(worker: Worker): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        cleanup();
        if (m.type === 'error') reject(new Error(`gradient worker: ${m.message}`));
        else resolve(m);
      };
      const onError = (err: Error) => {
        cleanup();
        reject(new Error(`gradient worker failed: ${err.message}`));
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`gradient worker exited with code ${code}`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  /**
   * Publishes the current parameters and starts the workers on their shards (one per worker).
   * Call it before computing the main thread's shard, await the result after.
   */
  async compute(variables: NamedVariables, shards: Array<{ indices: number[]; normalizer: number }>): Promise<RemoteGradients> {
    this.names.forEach((name, i) => this.params.set(variables.get(name)!.dataSync() as Float32Array, this.offsets[i]));
    const active = shards.slice(0, this.workers.length);
    const replies = active.map((shard, w) => {
      const reply = this.next(this.workers[w]);
      this.workers[w].postMessage({ type: 'step', indices: shard.indices, normalizer: shard.normalizer });
      return reply;
    });
    const results = await Promise.all(replies);
    const grads = new Map<string, Float32Array>();
    this.names.forEach((name, i) => {
      const sum = new Float32Array(this.sizes[i]);
      for (let w = 0; w < active.length; w++) {
        const g = this.grads[w].subarray(this.offsets[i], this.offsets[i] + this.sizes[i]);
        for (let j = 0; j < sum.length; j++) sum[j] += g[j];
      }
      grads.set(name, sum);
    });
    let lossSum = 0;
    for (const r of results) if (r.type === 'done') lossSum += r.lossSum;
    return { lossSum, grads };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
