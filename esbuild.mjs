// Builds the five bundles of the extension (and the test bundles) with esbuild.
//   dist/extension.js  the extension host (Node, CommonJS, `vscode` external)
//   dist/webview/*.js  the webview apps (browser, ESM-free IIFE)
//   dist/trainer.js    the training child process
//   dist/cli.js        the `tunix-rt` command line
//   out/test/**        unit, integration and e2e tests (each file its own bundle)
// `node esbuild.mjs --watch` rebuilds on change; source maps are always written.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, chmodSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const common = {
  bundle: true,
  define: { __TUNIX_VERSION__: JSON.stringify(pkg.version) },
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  target: 'es2022',
  // Optional native backends are looked up at run time; a missing one is a normal case.
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', 'better-sqlite3'],
};

function filesUnder(dir, suffix) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, suffix));
    else if (path.endsWith(suffix)) out.push(path);
  }
  return out;
}

function webviewEntries() {
  return filesUnder('webview', '.tsx').filter((p) => /webview\/[^/]+\/main\.tsx$/.test(p.replaceAll('\\', '/')));
}

/** Copies the wasm binaries and CSS the bundles load at run time next to them. */
function copyAssets() {
  mkdirSync('dist/webview', { recursive: true });
  cpSync('node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm');
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    cpSync(join('node_modules/@tensorflow/tfjs-backend-wasm/dist', f), join('dist', f));
  }
  cpSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css');
  cpSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf');
  if (existsSync('node_modules/uplot/dist/uPlot.min.css')) cpSync('node_modules/uplot/dist/uPlot.min.css', 'dist/webview/uPlot.min.css');
  // The trace schema (jsonValidation) and the diagnostics docs the Problems panel links to ship in dist/.
  for (const f of ['schemas/trace.schema.json', 'docs/diagnostics.md']) if (existsSync(f)) cpSync(f, join('dist', f));
}

const nodeCjs = { ...common, platform: 'node', format: 'cjs' };
const builds = [
  { ...nodeCjs, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: [...common.external, 'vscode'] },
  { ...nodeCjs, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...nodeCjs, entryPoints: ['src/trainer/main.ts'], outfile: 'dist/trainer.js' },
  { ...nodeCjs, entryPoints: ['src/core/trace/validateWorker.ts'], outfile: 'dist/validateWorker.js' },
  // Leads a training run's process group and records how the trainer ended (src/core/run/launcher.ts).
  { ...nodeCjs, entryPoints: ['src/core/run/launcherMain.ts'], outfile: 'dist/launcher.js' },
];
const webviews = webviewEntries();
if (webviews.length) {
  builds.push({
    ...common,
    platform: 'browser',
    format: 'iife',
    entryPoints: Object.fromEntries(webviews.map((p) => [p.split(/[\\/]/).at(-2), p])),
    outdir: 'dist/webview',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'text' },
  });
}

// Tests: every *.test.ts (and the integration/e2e runners) becomes its own bundle under out/.
const testEntries = [
  ...filesUnder('test', '.ts').filter((p) => !p.endsWith('.d.ts')),
];
if (testEntries.length) {
  builds.push({
    ...nodeCjs,
    entryPoints: testEntries,
    outdir: 'out/test',
    outbase: 'test',
    external: [...common.external, 'vscode', 'mocha', 'playwright-core', 'ajv'],
  });
}
const benchEntries = filesUnder('bench', '.ts');
if (benchEntries.length) {
  builds.push({ ...nodeCjs, entryPoints: benchEntries, outdir: 'out/bench', outbase: 'bench', external: [...common.external, 'ajv'] });
}

for (const b of builds) {
  if (Array.isArray(b.entryPoints) && b.entryPoints.some((e) => !existsSync(e))) {
    b.entryPoints = b.entryPoints.filter((e) => existsSync(e));
  }
}
const active = builds.filter((b) => (Array.isArray(b.entryPoints) ? b.entryPoints.length : Object.keys(b.entryPoints).length));

/**
 * Removes test and bench bundles whose source is gone (a test moved or deleted), so mocha's
 * `out/test/unit/**` glob never runs a stale copy of an old test.
 */
function pruneStaleBundles() {
  for (const [outDir, srcDir] of [['out/test', 'test'], ['out/bench', 'bench']]) {
    for (const file of filesUnder(outDir, '.js')) {
      const source = join(srcDir, relative(outDir, file)).replace(/\.js$/, '.ts');
      if (!existsSync(source) && !existsSync(`${source}x`)) {
        rmSync(file, { force: true });
        rmSync(`${file}.map`, { force: true });
      }
    }
  }
}

pruneStaleBundles();
copyAssets();
if (watch) {
  const contexts = await Promise.all(active.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${active.length} bundles`);
} else {
  const started = Date.now();
  // Test and bench files build one bundle each, so one broken test file does not stop the
  // others from building; every failure is still reported and fails the build.
  const perFile = active.flatMap((b) =>
    b.outdir === 'out/test' || b.outdir === 'out/bench' ? b.entryPoints.map((e) => ({ ...b, entryPoints: [e] })) : [b],
  );
  const results = await Promise.allSettled(perFile.map((b) => esbuild.build(b)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    console.error(`${failed.length} bundle(s) failed to build`);
    process.exitCode = 1;
  }
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
  console.log(`built ${active.length} bundles in ${Date.now() - started} ms (${relative('.', 'dist')}/, out/)`);
}
