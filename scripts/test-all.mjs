// `npm test`: builds, then runs the three levels of tests in order (unit in Node, integration
// in a real VS Code extension host, e2e in a real VS Code driven through Chromium), and ends
// with one line "N passed, N failed" over all of them. Each level prints mocha's own report.
// Flags: --unit, --integration, --e2e run only those levels.
import { spawn } from 'node:child_process';

const all = ['unit', 'integration', 'e2e'];
const picked = all.filter((l) => process.argv.includes(`--${l}`));
const levels = picked.length ? picked : all;

const commands = {
  build: [process.execPath, ['esbuild.mjs']],
  unit: [process.execPath, ['node_modules/mocha/bin/mocha.js', '--config', 'test/unit/.mocharc.json']],
  integration: [process.execPath, ['scripts/run-integration.mjs']],
  e2e: [process.execPath, ['scripts/run-e2e.mjs']],
};

function run(name) {
  const [cmd, args] = commands[name];
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n=== ${name} ===`);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out += d.toString();
    });
    child.on('close', (code) => {
      // mocha's spec reporter: "N passing", "N failing", "N pending".
      const count = (word) => [...out.matchAll(new RegExp(`^\\s*(\\d+) ${word}`, 'gm'))].reduce((s, m) => s + Number(m[1]), 0);
      resolve({ name, code: code ?? 1, passed: count('passing'), failed: count('failing'), pending: count('pending'), seconds: (Date.now() - started) / 1000 });
    });
  });
}

const build = await run('build');
if (build.code !== 0) {
  console.log('\nbuild failed\n0 passed, 1 failed');
  process.exit(1);
}
const results = [];
for (const level of levels) results.push(await run(level));
console.log('\n=== summary ===');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of results) {
  // A level that exits non-zero without a mocha failure (it could not start) counts as one failure.
  const f = r.failed || (r.code !== 0 ? 1 : 0);
  passed += r.passed;
  failed += f;
  skipped += r.pending;
  console.log(`${r.name.padEnd(12)} ${r.passed} passed, ${f} failed, ${r.pending} skipped (${r.seconds.toFixed(1)} s, exit ${r.code})`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
