// Asks the optional `webgpu` package (Dawn for Node) for an adapter. Kept in its own module
// so the 130 MB native library loads only when someone asks for WebGPU.
import { optionalResolve } from './backends';

export interface WebGpuProbe {
  ok: boolean;
  detail: string;
  adapter?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean; software: boolean };
}

export interface WebGpuProbeOptions {
  /** Accept a software adapter (Mesa llvmpipe through OpenGL ES); tests use this on CPU-only machines. */
  allowSoftware: boolean;
  timeoutMs?: number;
}

const SOFTWARE_HINTS = /llvmpipe|lavapipe|swiftshader|softpipe|software/i;

/** Loads the package and returns its `create` function plus its globals, or an error. */
export async function loadWebGpuPackage(): Promise<{ create: (flags: string[]) => unknown; globals: Record<string, unknown> }> {
  const resolved = optionalResolve('webgpu');
  if (!resolved) throw new Error('The optional `webgpu` package is not installed.');
  const mod = (await import(resolved)) as { create: (flags: string[]) => unknown; globals: Record<string, unknown> };
  return mod;
}

export async function probeWebGpuAdapter(opts: WebGpuProbeOptions): Promise<WebGpuProbe> {
  const timeoutMs = opts.timeoutMs ?? 15000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<WebGpuProbe>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer from the WebGPU adapter within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([probe(opts), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function probe(opts: WebGpuProbeOptions): Promise<WebGpuProbe> {
  let pkg;
  try {
    pkg = await loadWebGpuPackage();
  } catch (err) {
    return { ok: false, detail: `could not load the webgpu package: ${(err as Error).message}` };
  }
  const attempts: Array<{ flags: string[]; options: Record<string, unknown>; software: boolean }> = [
    { flags: [], options: { powerPreference: 'high-performance' }, software: false },
  ];
  if (opts.allowSoftware) attempts.push({ flags: ['backend=opengles'], options: { featureLevel: 'compatibility' }, software: true });
  const reasons: string[] = [];
  for (const attempt of attempts) {
    try {
      const gpu = pkg.create(attempt.flags) as { requestAdapter(o: unknown): Promise<any> };
      const adapter = await gpu.requestAdapter(attempt.options);
      if (!adapter) {
        reasons.push(`${attempt.flags.join(' ') || 'default backend'}: no adapter`);
        continue;
      }
      const info = adapter.info ?? {};
      const description = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.device ?? ''} ${info.description ?? ''}`.trim();
      const software = attempt.software || !!adapter.isFallbackAdapter || SOFTWARE_HINTS.test(description);
      if (software && !opts.allowSoftware) {
        reasons.push(`only a software adapter (${description || 'unnamed'})`);
        continue;
      }
      return {
        ok: true,
        detail: `${software ? 'software' : 'hardware'} adapter: ${description || 'unnamed'}`,
        adapter: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, isFallbackAdapter: adapter.isFallbackAdapter, software },
      };
    } catch (err) {
      reasons.push(`${attempt.flags.join(' ') || 'default backend'}: ${(err as Error).message}`);
    }
  }
  return { ok: false, detail: `no usable GPU adapter (${reasons.join('; ') || 'none found'})` };
}
