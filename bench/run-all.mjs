// Runs every built benchmark bundle (out/bench/*.js, from bench/*.ts) in turn, as its own
// Node process, and passes through the JSON lines each prints (one per figure, with the
// peer's figure from the same run). `npm run bench` builds first. Exit 1 if any failed.
// Usage: node bench/run-all.mjs [name-filter]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join('out', 'bench');
const filter = process.argv[2];
const benches = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js') && (!filter || f.includes(filter))).sort() : [];
if (benches.length === 0) {
  console.error(`No benchmark bundles in ${dir}; run \`node esbuild.mjs\` first.`);
  process.exit(2);
}
let failed = 0;
for (const f of benches) {
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    failed++;
    console.error(`${f} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
