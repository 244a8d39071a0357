// Asks the optional `webgpu` package (Dawn for Node) for an adapter. Kept in its own module
// so the 130 MB native library loads only when someone asks for WebGPU.
//
// A hardware adapter is asked for first (Dawn picks Vulkan, Metal or D3D12). A software one
// (Mesa llvmpipe through OpenGL ES, in Dawn's compatibility mode) is only accepted when the
// caller allows it: it is slow and exists so CPU-only machines can test the WebGPU path.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { optionalResolve } from './backends';

export interface WebGpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
  software: boolean;
  /** Dawn toggles the adapter was created with, e.g. ["backend=opengles"]. */
  flags: string[];
  featureLevel: 'core' | 'compatibility';
}

export interface WebGpuProbe {
  ok: boolean;
  detail: string;
  adapter?: WebGpuAdapterInfo;
}

export interface WebGpuProbeOptions {
  /** Accept a software adapter (Mesa llvmpipe through OpenGL ES); tests use this on CPU-only machines. */
  allowSoftware: boolean;
  timeoutMs?: number;
}

/** An adapter ready for requestDevice, with the navigator.gpu object that made it. */
export interface OpenedWebGpu {
  gpu: { requestAdapter(options?: unknown): Promise<any> };
  adapter: any;
  info: WebGpuAdapterInfo;
  globals: Record<string, unknown>;
}

const SOFTWARE_HINTS = /llvmpipe|lavapipe|swiftshader|softpipe|software/i;

interface WebGpuPackage {
  create: (flags: string[]) => unknown;
  globals: Record<string, unknown>;
}

let loaded: Promise<WebGpuPackage> | undefined;

/** Loads the package (an ES module) once and returns its `create` function and its globals. */
export function loadWebGpuPackage(): Promise<WebGpuPackage> {
  loaded ??= (async () => {
    const resolved = optionalResolve('webgpu');
    if (!resolved) throw new Error('the optional `webgpu` package is not installed (`npm install webgpu`)');
    return (await import(pathToFileURL(resolved).href)) as WebGpuPackage;
  })();
  return loaded;
}

/**
 * Mesa's EGL needs a platform without a display server, and a runtime folder; both are set
 * here only when the environment lacks them.
 */
export function prepareSoftwareGlEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  env.EGL_PLATFORM ??= 'surfaceless';
  ensureRuntimeDir(env);
}

/** Vulkan and EGL loaders complain (on stderr) without a valid XDG_RUNTIME_DIR. */
function ensureRuntimeDir(env: NodeJS.ProcessEnv): void {
  const runtime = env.XDG_RUNTIME_DIR;
  if (!runtime || !fs.existsSync(runtime)) {
    const dir = path.join(os.tmpdir(), `tunix-runtime-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    env.XDG_RUNTIME_DIR = dir;
  }
}

function describe(info: Record<string, string | undefined>): string {
  return [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.trim()).join(' ').trim();
}

/** Opens the best adapter allowed; throws an Error saying why there is none. */
export async function openWebGpuAdapter(opts: WebGpuProbeOptions): Promise<OpenedWebGpu> {
  const pkg = await loadWebGpuPackage();
  const attempts: Array<{ flags: string[]; options: Record<string, unknown>; software: boolean }> = [
    { flags: [], options: { powerPreference: 'high-performance' }, software: false },
  ];
  if (opts.allowSoftware) attempts.push({ flags: ['backend=opengles'], options: { featureLevel: 'compatibility' }, software: true });
  const reasons: string[] = [];
  for (const attempt of attempts) {
    try {
      if (attempt.software) prepareSoftwareGlEnvironment();
      else ensureRuntimeDir(process.env);
      const gpu = pkg.create(attempt.flags) as OpenedWebGpu['gpu'];
      const adapter = await gpu.requestAdapter(attempt.options);
      if (!adapter) {
        reasons.push(`${attempt.flags.join(' ') || 'default backend'}: no adapter`);
        continue;
      }
      const raw = (adapter.info ?? {}) as Record<string, string | undefined>;
      const description = describe(raw);
      const software = attempt.software || !!adapter.isFallbackAdapter || SOFTWARE_HINTS.test(description);
      if (software && !opts.allowSoftware) {
        reasons.push(`only a software adapter (${description || 'unnamed'})`);
        continue;
      }
      const info: WebGpuAdapterInfo = {
        vendor: raw.vendor || undefined,
        architecture: raw.architecture || undefined,
        device: raw.device || undefined,
        description: raw.description || undefined,
        isFallbackAdapter: adapter.isFallbackAdapter,
        software,
        flags: attempt.flags,
        featureLevel: attempt.options.featureLevel === 'compatibility' ? 'compatibility' : 'core',
      };
      return { gpu, adapter, info, globals: pkg.globals };
    } catch (err) {
      reasons.push(`${attempt.flags.join(' ') || 'default backend'}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no usable WebGPU adapter (${reasons.join('; ') || 'none found'})`);
}

export async function probeWebGpuAdapter(opts: WebGpuProbeOptions): Promise<WebGpuProbe> {
  const timeoutMs = opts.timeoutMs ?? 15000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<WebGpuProbe>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer from the WebGPU adapter within ${timeoutMs} ms` }), timeoutMs);
  });
  const attempt = (async (): Promise<WebGpuProbe> => {
    try {
      const opened = await openWebGpuAdapter(opts);
      const name = describe(opened.info as unknown as Record<string, string | undefined>) || 'unnamed';
      return { ok: true, detail: `${opened.info.software ? 'software' : 'hardware'} adapter: ${name}`, adapter: opened.info };
    } catch (err) {
      const message = (err as Error).message;
      return { ok: false, detail: message.startsWith('no usable') ? message : `could not load the webgpu package: ${message}` };
    }
  })();
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
