// Detects which TensorFlow.js backends this machine can use, best first. Optional native
// packages (tfjs-node, tfjs-node-gpu, webgpu) are resolved at run time: their absence is a
// normal, reported case, never an install-time requirement.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type BackendName = 'gpu' | 'webgpu' | 'native' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['gpu', 'webgpu', 'native', 'wasm', 'cpu'];

export interface BackendStatus {
  name: BackendName;
  /** The package or engine behind it. */
  engine: string;
  available: boolean;
  /** Why it is or is not usable, in words a user can act on. */
  detail: string;
}

/** A require that resolves from the running bundle's folder, then from the working directory. */
export function optionalResolve(request: string, extraRoots: string[] = []): string | undefined {
  const roots = [typeof __dirname === 'string' ? __dirname : process.cwd(), process.cwd(), ...extraRoots];
  for (const root of roots) {
    try {
      return createRequire(path.join(root, 'noop.js')).resolve(request);
    } catch {
      /* try the next root */
    }
  }
  return undefined;
}

function wasmSimdSupported(): boolean {
  // The smallest module using a v128 instruction; validating it tells whether SIMD is on.
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** Finds the tfjs wasm binaries: next to the bundle (dist/) or in node_modules. */
export function findTfjsWasmDir(): string | undefined {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  if (fs.existsSync(path.join(here, 'tfjs-backend-wasm-simd.wasm'))) return here;
  const pkg = optionalResolve('@tensorflow/tfjs-backend-wasm/package.json');
  if (pkg) return path.join(path.dirname(pkg), 'dist');
  return undefined;
}

/**
 * NVIDIA GPUs the driver exposes (Linux: /proc/driver/nvidia/gpus/<bus id>/information);
 * an empty list where there is no driver. On other systems a present device node counts.
 */
export function nvidiaGpus(): string[] {
  const root = '/proc/driver/nvidia/gpus';
  try {
    return fs.readdirSync(root).map((bus) => {
      try {
        const info = fs.readFileSync(path.join(root, bus, 'information'), 'utf8');
        return /Model:\s*(.+)/.exec(info)?.[1]?.trim() ?? bus;
      } catch {
        return bus;
      }
    });
  } catch {
    return fs.existsSync('/dev/nvidia0') ? ['/dev/nvidia0'] : [];
  }
}

export interface DetectOptions {
  /** Also ask the WebGPU package for an adapter (loads a native library; ~1 s). */
  probeWebGpu?: boolean;
  extraModuleRoots?: string[];
}

export async function detectBackends(opts: DetectOptions = {}): Promise<BackendStatus[]> {
  const roots = opts.extraModuleRoots ?? [];
  const out: BackendStatus[] = [];
  const gpuPkg = optionalResolve('@tensorflow/tfjs-node-gpu', roots);
  const gpus = gpuPkg ? nvidiaGpus() : [];
  out.push({
    name: 'gpu',
    engine: '@tensorflow/tfjs-node-gpu (CUDA)',
    available: !!gpuPkg && gpus.length > 0,
    detail: !gpuPkg
      ? 'not installed (needs CUDA 11.2 + cuDNN 8.1; `npm install @tensorflow/tfjs-node-gpu` where the internet is reachable)'
      : gpus.length
        ? `installed at ${path.dirname(gpuPkg)}; NVIDIA GPU: ${gpus.join(', ')}`
        : `installed at ${path.dirname(gpuPkg)}, but no NVIDIA GPU is visible (no /proc/driver/nvidia/gpus or /dev/nvidia0)`,
  });
  const webgpuPkg = optionalResolve('webgpu', roots);
  if (!webgpuPkg) {
    out.push({ name: 'webgpu', engine: 'webgpu (Dawn)', available: false, detail: 'the optional `webgpu` package is not installed' });
  } else if (opts.probeWebGpu) {
    const { probeWebGpuAdapter } = await import('./webgpuProbe');
    const probe = await probeWebGpuAdapter({ allowSoftware: false });
    out.push({ name: 'webgpu', engine: 'webgpu (Dawn)', available: probe.ok, detail: probe.detail });
  } else {
    out.push({ name: 'webgpu', engine: 'webgpu (Dawn)', available: false, detail: 'package installed; adapter not probed' });
  }
  const nativePkg = optionalResolve('@tensorflow/tfjs-node', roots);
  out.push({
    name: 'native',
    engine: '@tensorflow/tfjs-node (libtensorflow CPU)',
    available: !!nativePkg,
    detail: nativePkg ? `installed at ${path.dirname(nativePkg)}` : 'not installed (`npm install @tensorflow/tfjs-node` where the internet is reachable)',
  });
  const wasmDir = findTfjsWasmDir();
  const simd = wasmSimdSupported();
  out.push({
    name: 'wasm',
    engine: '@tensorflow/tfjs-backend-wasm',
    available: !!wasmDir,
    detail: wasmDir ? `binaries in ${wasmDir}; SIMD ${simd ? 'on' : 'off'}; one thread per wasm instance, so the trainer adds worker threads (data parallel)` : 'wasm binaries not found next to the bundle',
  });
  out.push({ name: 'cpu', engine: '@tensorflow/tfjs (pure JavaScript)', available: true, detail: 'always available (slowest)' });
  return out;
}
