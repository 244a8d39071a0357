// `npm run vscode`: a real VS Code (code-server 4.99.4) in your browser, with the extension
// built from this checkout and installed from its .vsix, on a sample workspace.
//   node scripts/vscode.mjs [--port <n>] [--fresh]
// Kept between runs under .cache/: the VS Code user data and extensions (.cache/vscode/) and
// the workspace (.cache/vscode-workspace/, a copy of samples/workspace made once; --fresh
// makes it and the user data anew). Stays in the foreground until Ctrl+C.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  copySampleWorkspace,
  ensureTestDeps,
  freePort,
  installVsix,
  killGroupNow,
  packageVsix,
  repoRoot,
  startCodeServer,
  writeUserSettings,
} from './code-server.mjs';

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const fresh = process.argv.includes('--fresh');
const home = join(repoRoot, '.cache', 'vscode');
const workspace = join(repoRoot, '.cache', 'vscode-workspace');
const say = (msg) => console.log(`[vscode] ${msg}`);

async function pickPort() {
  const wanted = Number(option('port') ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(wanted) || wanted <= 0 || wanted > 65535) throw new Error(`--port must be a port number (1-65535), not "${option('port')}"`);
  // Use the wanted port when it is free, any free one otherwise.
  const probe = await fetch(`http://127.0.0.1:${wanted}/`, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
  if (!probe) return wanted;
  const other = await freePort();
  say(`port ${wanted} is taken; using ${other}`);
  return other;
}

async function main() {
  ensureTestDeps();
  say('building');
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed (see above)');
  if (fresh) {
    rmSync(home, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
  mkdirSync(home, { recursive: true });
  const vsix = packageVsix(join(home, 'tunix-rt.vsix'));
  const extensionsDir = join(home, 'extensions');
  const userDataDir = join(home, 'user-data');
  installVsix(vsix, extensionsDir, userDataDir);
  say(`installed ${vsix}`);
  writeUserSettings(userDataDir); // keeps any setting changed in the UI
  if (!existsSync(workspace)) {
    copySampleWorkspace(workspace);
    say(`created the workspace ${workspace} from samples/workspace`);
  }
  const port = await pickPort();
  const server = await startCodeServer({ folder: workspace, userDataDir, extensionsDir, port, logFile: join(home, 'code-server.log') });
  process.on('exit', () => killGroupNow(server.pid));
  let stopping = false;
  const stop = async () => {
    stopping = true;
    say('stopping');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop).on('SIGTERM', stop);
  say(`VS Code (code-server 4.99.4) with Tunix RT is running. Open:\n\n    ${server.url()}\n`);
  say(`log: ${join(home, 'code-server.log')}; Ctrl+C stops it`);
  server.process.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[vscode] code-server exited (${code ?? signal}). Its log:\n${server.logTail(40)}`);
    process.exit(1);
  });
}

main().catch((err) => {
  console.error(`[vscode] ${err.message}`);
  process.exit(1);
});
