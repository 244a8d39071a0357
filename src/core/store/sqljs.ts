// Loads sql.js (SQLite in WebAssembly) on first use only: the extension must not pay for it
// at activation. The wasm binary is looked up next to the running bundle (dist/ holds a
// copy), then in node_modules/sql.js/dist above it (tests and benchmarks run from out/).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

/** Folders searched for sql-wasm.wasm, best first. */
export function wasmCandidates(startDir = __dirname): string[] {
  const out = [path.join(startDir, 'sql-wasm.wasm')];
  let dir = startDir;
  for (;;) {
    out.push(path.join(dir, 'dist', 'sql-wasm.wasm'), path.join(dir, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

export function locateSqlWasm(): string {
  const override = process.env.TUNIX_SQL_WASM;
  const candidates = override ? [override, ...wasmCandidates()] : wasmCandidates();
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`sql-wasm.wasm not found (looked in ${candidates.slice(0, 4).join(', ')}, ...). Rebuild with \`npm run build\`, which copies it into dist/.`);
  return found;
}

/** The sql.js module, initialised once per process. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= (async () => {
    const wasmPath = locateSqlWasm();
    const mod = await import('sql.js');
    const init = (mod as unknown as { default?: typeof mod.default }).default ?? (mod as unknown as typeof mod.default);
    // Passing the bytes avoids sql.js's own fetch/locate logic, which differs per host.
    const wasmBinary = fs.readFileSync(wasmPath);
    return init({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
