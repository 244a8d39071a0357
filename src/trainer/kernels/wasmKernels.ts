// SIMD kernels (bmm.c) for the wasm backend, reading tensors in place in its own memory:
// - BatchMatMul is replaced for the products XNNPACK does not cover (batched, or transposed):
//   those fall into tfjs's scalar loop at ~2-3 GFLOP/s, which made attention most of a
//   training step; bmm does them at ~25-40 GFLOP/s. 2-D untransposed products keep XNNPACK.
// - TunixColumnSums sums the columns of a matrix (bias and gain gradients) without the
//   transpose tfjs's Sum(axis 0) makes first.
import type { Tf } from '../model/tf';
import { BMM_WASM_BASE64 } from './bmmWasm';

interface WasmBackendLike {
  wasm: { asm?: { memory?: WebAssembly.Memory }; _malloc(bytes: number): number; _free(ptr: number): void };
  dataIdMap: { get(id: unknown): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: string): { dataId: unknown; shape: number[]; dtype: string };
}

interface TensorInfoLike {
  dataId: unknown;
  shape: number[];
  dtype: string;
}

type KernelFunc = (args: { inputs: Record<string, TensorInfoLike>; backend: unknown; attrs?: Record<string, unknown> }) => unknown;

const installed = new WeakSet<object>();

export const COLUMN_SUMS_KERNEL = 'TunixColumnSums';

/**
 * Installs the SIMD kernels on the active wasm backend. Returns false (and changes nothing) on
 * another backend or when the backend's memory is not reachable.
 */
export function installWasmKernels(tf: Tf): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  const backend = tf.backend() as unknown as WasmBackendLike;
  if (installed.has(backend)) return true;
  const memory = backend.wasm?.asm?.memory;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  if (!(memory instanceof WebAssembly.Memory) || !original) return false;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(BMM_WASM_BASE64, 'base64')), { env: { memory } });
  const colsum = instance.exports.colsum as (x: number, out: number, rows: number, cols: number) => void;
  const bmm = instance.exports.bmm as (a: number, b: number, c: number, batch: number, m: number, k: number, n: number, ta: number, tb: number, scratch: number) => void;
  const fallback = original.kernelFunc as unknown as KernelFunc;

  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs;
    const transposeA = !!args.attrs?.transposeA;
    const transposeB = !!args.attrs?.transposeB;
    const be = args.backend as WasmBackendLike;
    const rank = a.shape.length;
    const sameBatch = rank === b.shape.length && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
    const batch = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    // XNNPACK already does 2-D untransposed products well; odd cases (broadcast batches, other dtypes) stay with tfjs.
    if (be !== backend || a.dtype !== 'float32' || b.dtype !== 'float32' || !sameBatch || (batch === 1 && !transposeA && !transposeB)) {
      return fallback(args);
    }
    const m = transposeA ? a.shape[rank - 1] : a.shape[rank - 2];
    const k = transposeA ? a.shape[rank - 2] : a.shape[rank - 1];
    const kb = transposeB ? b.shape[rank - 1] : b.shape[rank - 2];
    const n = transposeB ? b.shape[rank - 2] : b.shape[rank - 1];
    if (k !== kb) return fallback(args); // let tfjs report the shape error in its words
    const out = be.makeOutput([...a.shape.slice(0, -2), m, n], 'float32');
    if (m * n * batch === 0) return out;
    const aPtr = be.dataIdMap.get(a.dataId)!.memoryOffset;
    const bPtr = be.dataIdMap.get(b.dataId)!.memoryOffset;
    const outPtr = be.dataIdMap.get(out.dataId)!.memoryOffset;
    const scratch = transposeA || transposeB ? be.wasm._malloc(Math.max(4, (m * k + k * n) * 4)) : 0;
    try {
      bmm(aPtr, bPtr, outPtr, batch, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0, scratch);
    } finally {
      if (scratch) be.wasm._free(scratch);
    }
    return out;
  };

  const columnSums: KernelFunc = (args) => {
    const { x } = args.inputs;
    const be = args.backend as WasmBackendLike;
    if (x.shape.length !== 2 || x.dtype !== 'float32') throw new Error(`${COLUMN_SUMS_KERNEL} takes a 2-D float32 tensor, got ${x.dtype} [${x.shape}]`);
    const [rows, cols] = x.shape;
    const out = be.makeOutput([cols], 'float32');
    if (cols > 0) colsum(be.dataIdMap.get(x.dataId)!.memoryOffset, be.dataIdMap.get(out.dataId)!.memoryOffset, rows, cols);
    return out;
  };

  if (!tf.getKernel(COLUMN_SUMS_KERNEL, 'wasm')) tf.registerKernel({ kernelName: COLUMN_SUMS_KERNEL, backendName: 'wasm', kernelFunc: columnSums as never });
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', setupFunc: original.setupFunc, kernelFunc: kernelFunc as never });
  installed.add(backend);
  return true;
}
