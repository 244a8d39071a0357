// CRC-32 (IEEE) for journal frames and snapshot checksums. Node >= 20.15 has a native one in
// zlib; the table version keeps older Node 20 builds (and Electron hosts) working.
import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function crc32Js(data: Uint8Array, value = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

const native = (zlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;

/** CRC-32 of `data`, continuing from `value` (0 to start). */
export function crc32(data: Uint8Array, value = 0): number {
  return native ? native(data, value) : crc32Js(data, value);
}

export { crc32Js as crc32Portable };
