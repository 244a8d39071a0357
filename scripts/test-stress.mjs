// `npm run test:stress`: the VS Code suites under a CPU hog, several times in a row, to find
// races before a busy CI machine or a user's laptop does. One busy loop per core runs for the
// whole time; each round runs `scripts/test-all.mjs` (integration and e2e by default) and
// its summary line is kept. Ends with "stress: K of N rounds passed" and exit 0 only if all did.
//   node scripts/test-stress.mjs [--rounds 5] [--unit] [--integration] [--e2e] [--no-hog]
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const rounds = Math.max(1, Number(option('rounds', 5)) || 5);
const picked = ['unit', 'integration', 'e2e'].filter((l) => process.argv.includes(`--${l}`));
const levels = picked.length ? picked : ['integration', 'e2e'];
const hog = !process.argv.includes('--no-hog');

const hogs = hog ? cpus().map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })) : [];
const stopHogs = () => hogs.forEach((h) => h.kill('SIGKILL'));
process.on('exit', stopHogs);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
console.log(`stress: ${rounds} round(s) of ${levels.join(' + ')}${hog ? ` with ${hogs.length} busy loop(s), one per core` : ' without a hog'}`);

function round(k) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['scripts/test-all.mjs', ...levels.map((l) => `--${l}`)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out += d.toString();
    });
    child.on('close', (code) => {
      const summary = out.trim().split('\n').filter((l) => /^\d+ passed, \d+ failed/.test(l)).at(-1) ?? 'no summary';
      // The spec listing's failed tests (indented 4+); the summary below it repeats them under their suite.
      const failing = [...out.matchAll(/^ {4,}\d+\) (.+)$/gm)].map((m) => m[1].trim());
      resolve({ k, code: code ?? 1, summary, failing: [...new Set(failing)], seconds: (Date.now() - started) / 1000 });
    });
  });
}

const results = [];
for (let k = 1; k <= rounds; k++) {
  console.log(`\n##### stress round ${k}/${rounds}`);
  results.push(await round(k));
}
stopHogs();
console.log('\n=== stress summary ===');
for (const r of results) {
  console.log(`round ${r.k}: ${r.code === 0 ? 'passed' : 'FAILED'} · ${r.summary} · ${r.seconds.toFixed(0)} s`);
  for (const f of r.failing) console.log(`    failed: ${f}`);
}
const passed = results.filter((r) => r.code === 0).length;
console.log(`stress: ${passed} of ${rounds} rounds passed`);
process.exit(passed === rounds ? 0 : 1);
