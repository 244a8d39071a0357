// What the trainer's main thread and its gradient workers say to each other. Parameters and
// gradients travel through SharedArrayBuffers (flat float32, parameters in `names` order);
// messages carry only the step's example indices and the loss.
import type { TransformerShape } from '../model/transformer';

export const GRADIENT_WORKER_KIND = 'tunix-gradient-worker';

export interface GradientWorkerData {
  kind: typeof GRADIENT_WORKER_KIND;
  backend: 'wasm' | 'cpu';
  shape: TransformerShape;
  names: string[];
  shapes: number[][];
  /** Flat parameters, written by the main thread before each step. */
  params: SharedArrayBuffer;
  /** This worker's flat gradients, written by the worker. */
  grads: SharedArrayBuffer;
  examples: Array<{ tokens: Int32Array; promptLength: number }>;
}

export type ToWorker = { type: 'step'; indices: number[]; normalizer: number };
export type FromWorker = { type: 'ready' } | { type: 'done'; lossSum: number; tokens: number } | { type: 'error'; message: string };
