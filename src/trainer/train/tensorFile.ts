// Named float32 tensors on disk: <name>.bin (the values back to back, little-endian) and
// <name>.json (name, shape, offset of each). Small, dependency-free, readable from Python
// with numpy.frombuffer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tensor } from '../model/tf';

export const TENSOR_FILE_FORMAT = 'tunix-tensors';

export interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset in float32 elements. */
  offset: number;
}

export interface TensorIndex {
  format: typeof TENSOR_FILE_FORMAT;
  version: 1;
  dtype: 'float32';
  tensors: TensorEntry[];
}

export interface HostTensor {
  shape: number[];
  values: Float32Array;
}

/** Reads tensor values to the host (async, so it works on GPU backends too). */
export async function toHost(tensors: Map<string, Tensor>): Promise<Map<string, HostTensor>> {
  const out = new Map<string, HostTensor>();
  for (const [name, t] of tensors) out.set(name, { shape: [...t.shape], values: (await t.data()) as Float32Array });
  return out;
}

export function writeTensors(dir: string, base: string, tensors: Map<string, HostTensor>): void {
  const entries: TensorEntry[] = [];
  let total = 0;
  for (const [name, t] of tensors) {
    entries.push({ name, shape: t.shape, offset: total });
    total += t.values.length;
  }
  const all = new Float32Array(total);
  for (const e of entries) all.set(tensors.get(e.name)!.values, e.offset);
  const index: TensorIndex = { format: TENSOR_FILE_FORMAT, version: 1, dtype: 'float32', tensors: entries };
  writeDurable(path.join(dir, `${base}.bin`), Buffer.from(all.buffer, all.byteOffset, all.byteLength));
  writeDurable(path.join(dir, `${base}.json`), JSON.stringify(index, null, 1) + '\n');
}

export function readTensors(dir: string, base: string): Map<string, HostTensor> {
  const indexFile = path.join(dir, `${base}.json`);
  const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as TensorIndex;
  if (index.format !== TENSOR_FILE_FORMAT || index.version !== 1 || !Array.isArray(index.tensors)) {
    throw new Error(`${indexFile} is not a ${TENSOR_FILE_FORMAT} v1 index`);
  }
  const bytes = fs.readFileSync(path.join(dir, `${base}.bin`));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out = new Map<string, HostTensor>();
  for (const e of index.tensors) {
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (e.offset + size > all.length) throw new Error(`${indexFile}: tensor ${e.name} runs past the end of ${base}.bin (truncated file?)`);
    out.set(e.name, { shape: e.shape, values: all.slice(e.offset, e.offset + size) });
  }
  return out;
}

/** Writes and fsyncs a file, so a completed checkpoint survives a power cut. */
export function writeDurable(file: string, data: string | Buffer): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
