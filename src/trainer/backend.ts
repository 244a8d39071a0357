// Picks and starts the TensorFlow.js backend, best first under `auto`: CUDA through
// tfjs-node-gpu (installed and an NVIDIA GPU visible), WebGPU on a hardware adapter, native
// CPU through tfjs-node, wasm with SIMD, pure JavaScript. An explicitly requested backend that
// cannot start is an error naming what is missing; `auto` records why it skipped each one.
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_ORDER, findTfjsWasmDir, nvidiaGpus, optionalResolve, type BackendName } from '../core/env/backends';
import type { BackendChoice } from '../core/run/types';
import { VERSION } from '../core/version';
import { backendUnavailable } from './errors';
import type { Tf } from './model/tf';
import { ALLOW_SOFTWARE_GPU_ENV } from './protocol';
import { installWasmKernels } from './kernels/wasmKernels';

/** Set to 0 to keep tfjs's own kernels on wasm (benchmarks compare both). */
export const FAST_MATMUL_ENV = 'TUNIX_WASM_FAST_MATMUL';

export interface BackendHandle {
  tf: Tf;
  name: BackendName;
  /** tfjs's own name for it: tensorflow, webgpu, wasm, cpu. */
  tfjsBackend: string;
  device: string;
  deviceInfo: Record<string, unknown>;
  skipped: Array<{ backend: string; reason: string }>;
  versions: Record<string, string>;
  threads: number;
  /** Whether matmul gradients should use explicit transposes (wasm's fast path). */
  explicitTranspose: boolean;
}

export interface SelectOptions {
  allowSoftwareGpu: boolean;
  log: (message: string) => void;
}

const cpuModel = () => os.cpus()[0]?.model?.trim() || os.arch();
const cpuCount = () => os.availableParallelism?.() ?? os.cpus().length;

function packageVersion(request: string): string | undefined {
  const pkg = optionalResolve(`${request}/package.json`);
  try {
    return pkg ? (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: string }).version : undefined;
  } catch {
    return undefined;
  }
}

function baseVersions(tf: Tf): Record<string, string> {
  return { tfjs: tf.version?.tfjs ?? tf.version_core, node: process.version, tunix_rt: VERSION };
}

type Starter = (opts: SelectOptions & { explicit: boolean }) => Promise<Omit<BackendHandle, 'skipped'>>;

const STARTERS: Record<BackendName, Starter> = {
  async gpu() {
    const resolved = optionalResolve('@tensorflow/tfjs-node-gpu');
    if (!resolved) throw new Error('@tensorflow/tfjs-node-gpu is not installed (it needs CUDA 11.2 + cuDNN 8.1; `npm install @tensorflow/tfjs-node-gpu` where the internet is reachable)');
    const gpus = nvidiaGpus();
    if (!gpus.length) throw new Error('@tensorflow/tfjs-node-gpu is installed but no NVIDIA GPU is visible (no /proc/driver/nvidia/gpus or /dev/nvidia0)');
    const tf = loadNodeBinding(resolved, '@tensorflow/tfjs-node-gpu');
    return {
      tf,
      name: 'gpu',
      tfjsBackend: tf.getBackend(),
      device: gpus.join(', '),
      deviceInfo: { gpus, cpu: cpuModel() },
      versions: { ...baseVersions(tf), 'tfjs-node-gpu': packageVersion('@tensorflow/tfjs-node-gpu') ?? 'unknown' },
      threads: cpuCount(),
      explicitTranspose: false,
    };
  },

  async webgpu(opts) {
    const { openWebGpuAdapter } = await import('../core/env/webgpuProbe');
    let opened;
    try {
      opened = await openWebGpuAdapter({ allowSoftware: opts.allowSoftwareGpu });
    } catch (err) {
      const hint = opts.allowSoftwareGpu || !opts.explicit ? '' : ` (a software adapter is only used when allowed: config "allow_software_gpu": true or ${ALLOW_SOFTWARE_GPU_ENV}=1)`;
      throw new Error(`WebGPU: ${(err as Error).message}${hint}`);
    }
    // The package's globals (GPUBufferUsage, ...) and navigator.gpu are what tfjs-backend-webgpu expects of a browser.
    Object.assign(globalThis, opened.globals);
    const nav = (globalThis as { navigator?: object }).navigator;
    Object.defineProperty(globalThis, 'navigator', { value: { ...(nav ?? {}), gpu: opened.gpu }, configurable: true, writable: true });
    const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
    const adapter = opened.adapter;
    const limits = adapter.limits;
    const requiredFeatures = ['timestamp-query'].filter((f) => adapter.features?.has?.(f));
    const device = await adapter.requestDevice({
      requiredFeatures,
      requiredLimits: {
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      },
    });
    // Our own factory, so the adapter is the one chosen above (tfjs would ask for a default one).
    if (tfjs.findBackendFactory('webgpu')) tfjs.removeBackend('webgpu');
    tfjs.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info), 3);
    if (!(await tfjs.setBackend('webgpu'))) throw new Error('WebGPU: the tfjs webgpu backend failed to initialise on this adapter');
    await tfjs.ready();
    const info = opened.info;
    const name = [info.vendor, info.device || info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
    return {
      tf: tfjs,
      name: 'webgpu',
      tfjsBackend: 'webgpu',
      device: `${name} (${info.software ? 'software' : 'hardware'} adapter${info.flags.length ? `, ${info.flags.join(' ')}` : ''})`,
      deviceInfo: { ...info },
      versions: { ...baseVersions(tfjs), webgpu: packageVersion('webgpu') ?? 'unknown' },
      threads: cpuCount(),
      explicitTranspose: false,
    };
  },

  async native() {
    const resolved = optionalResolve('@tensorflow/tfjs-node');
    if (!resolved) throw new Error('@tensorflow/tfjs-node is not installed (`npm install @tensorflow/tfjs-node` where the internet is reachable)');
    const tf = loadNodeBinding(resolved, '@tensorflow/tfjs-node');
    return {
      tf,
      name: 'native',
      tfjsBackend: tf.getBackend(),
      device: cpuModel(),
      deviceInfo: { cpu: cpuModel(), cpus: cpuCount() },
      versions: { ...baseVersions(tf), 'tfjs-node': packageVersion('@tensorflow/tfjs-node') ?? 'unknown' },
      threads: cpuCount(),
      explicitTranspose: false,
    };
  },

  async wasm() {
    const dir = findTfjsWasmDir();
    if (!dir) throw new Error('the tfjs wasm binaries (tfjs-backend-wasm-simd.wasm) are neither next to the trainer bundle nor in node_modules; rebuild with `npm run build`');
    setWasmPaths(dir + path.sep);
    if (!(await tfjs.setBackend('wasm'))) throw new Error(`the wasm backend failed to initialise (binaries in ${dir})`);
    await tfjs.ready();
    const simd = await tfjs.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    // Batched and transposed matmuls (attention) through our SIMD kernel; FAST_MATMUL_ENV=0 keeps tfjs's own (benchmarks compare both).
    const fastMatMul = simd && process.env[FAST_MATMUL_ENV] !== '0' ? installWasmKernels(tfjs) : false;
    return {
      tf: tfjs,
      name: 'wasm',
      tfjsBackend: 'wasm',
      device: `WebAssembly${simd ? ' SIMD' : ''} on ${cpuModel()}`,
      deviceInfo: { cpu: cpuModel(), simd: !!simd, simd_kernels: fastMatMul, wasm_dir: dir },
      versions: { ...baseVersions(tfjs), 'tfjs-backend-wasm': packageVersion('@tensorflow/tfjs-backend-wasm') ?? tfjs.version.tfjs },
      // tfjs-backend-wasm does not multithread under Node (tfjs issue #3830).
      threads: 1,
      explicitTranspose: true,
    };
  },

  async cpu() {
    if (!(await tfjs.setBackend('cpu'))) throw new Error('the pure-JavaScript cpu backend failed to initialise');
    await tfjs.ready();
    return {
      tf: tfjs,
      name: 'cpu',
      tfjsBackend: 'cpu',
      device: `JavaScript on ${cpuModel()}`,
      deviceInfo: { cpu: cpuModel() },
      versions: baseVersions(tfjs),
      threads: 1,
      explicitTranspose: false,
    };
  },
};

/** Loads tfjs-node(-gpu), which brings its own tfjs-core; its namespace is the one to compute with. */
function loadNodeBinding(resolved: string, name: string): Tf {
  let tf: Tf;
  try {
    tf = createRequire(__filename)(resolved) as Tf;
  } catch (err) {
    throw new Error(`${name} is installed but failed to load: ${(err as Error).message}`);
  }
  if (tf.getBackend() !== 'tensorflow') throw new Error(`${name} loaded, but its "tensorflow" backend is not active (got ${tf.getBackend()})`);
  return tf;
}

/** Starts the chosen backend, or under `auto` the best one that starts. */
export async function selectBackend(choice: BackendChoice, opts: SelectOptions): Promise<BackendHandle> {
  // tfjs prints its "install tfjs-node" hint and kernel-registration warnings; keep them off stdout.
  tfjs.env().set('PROD', true);
  if (choice !== 'auto') {
    try {
      return { ...(await STARTERS[choice]({ ...opts, explicit: true })), skipped: [] };
    } catch (err) {
      throw backendUnavailable(`The "${choice}" backend cannot be used here: ${(err as Error).message}. Choose another backend (auto picks the best available).`);
    }
  }
  const skipped: BackendHandle['skipped'] = [];
  for (const name of BACKEND_ORDER) {
    // Under auto a software WebGPU adapter is never chosen: wasm is faster on a CPU.
    const starterOpts = { ...opts, explicit: false, ...(name === 'webgpu' ? { allowSoftwareGpu: false } : {}) };
    try {
      const handle = await STARTERS[name](starterOpts);
      return { ...handle, skipped };
    } catch (err) {
      const reason = (err as Error).message;
      skipped.push({ backend: name, reason });
      opts.log(`backend ${name} skipped: ${reason}`);
    }
  }
  throw backendUnavailable(`No TensorFlow.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}
