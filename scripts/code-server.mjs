// Shared helpers for running a real VS Code (code-server 4.99.4 = VS Code 1.99.3) and a
// headless Chromium: used by the integration runner, the e2e harness (test/e2e/harness.ts
// loads this file at run time) and `npm run vscode`. Everything waits on conditions with a
// deadline and a message that says what did not happen; nothing sleeps a fixed time.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerEntry, ensureTestDeps, repoRoot } from './ensure-test-deps.mjs';

export { codeServerEntry, ensureTestDeps, repoRoot };

export const sampleWorkspace = join(repoRoot, 'samples', 'workspace');
export const chromiumPath = process.env.TUNIX_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that let Debian's Chromium run headless as root, quietly and offline. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** User settings for every test instance: no trust prompt, no welcome page, nothing online. */
export const BASE_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
};

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Polls `condition` until it returns a truthy value (which is returned) or the deadline
 * passes; `message` says what was awaited (a string, or a function giving extra context).
 * Errors thrown by `condition` count as "not yet"; `stopOn` returns a reason to give up now
 * (a process that died, a page that crashed).
 */
export async function waitFor(condition, { timeoutMs = 30_000, intervalMs = 100, message = 'condition', stopOn } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    const stop = stopOn?.();
    if (stop) throw new Error(stop);
    try {
      const value = await condition();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const what = typeof message === 'function' ? message() : message;
      const cause = lastError ? ` (last error: ${lastError.message ?? lastError})` : '';
      throw new Error(`Timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A copy of samples/workspace (the tests may write into it; the original stays clean). */
export function copySampleWorkspace(dest = join(tempDir('tunix-ws-'), 'workspace')) {
  cpSync(sampleWorkspace, dest, { recursive: true });
  return dest;
}

export function userSettingsPath(userDataDir) {
  return join(userDataDir, 'User', 'settings.json');
}

/** Writes User/settings.json (BASE_SETTINGS plus `extra`) into a user-data dir. */
export function writeUserSettings(userDataDir, extra = {}) {
  const file = userSettingsPath(userDataDir);
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  let current = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      current = {};
    }
  }
  writeFileSync(file, JSON.stringify({ ...BASE_SETTINGS, ...current, ...extra }, null, 2) + '\n');
  return file;
}

/** Kills a process group started with `detached: true`, right now (safe in 'exit' handlers). */
export function killGroupNow(pid) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Whether any process of the group `pgid` is still alive. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole group, then SIGKILL to whatever is left of it after `graceMs`. */
export async function killGroup(pid, graceMs = 3000) {
  if (!pid || !groupAlive(pid)) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  try {
    await waitFor(() => !groupAlive(pid), { timeoutMs: graceMs, intervalMs: 50, message: `process group ${pid} to exit` });
  } catch {
    killGroupNow(pid);
  }
}

/**
 * Starts code-server on a free local port, without auth, serving `folder`. Resolves once it
 * answers /healthz. Its output goes to `logFile` and to an in-memory tail for error messages.
 * The process is a group leader, so `stop()` also ends its extension hosts and watchers.
 */
export async function startCodeServer({ folder, userDataDir, extensionsDir, env = {}, port, logFile, timeoutMs = 60_000, workspaceTrust = false } = {}) {
  if (!existsSync(codeServerEntry)) throw new Error(`code-server is not installed at ${codeServerEntry}; run node scripts/ensure-test-deps.mjs`);
  // Folders made here (none was given) are removed again by stop().
  const ownDirs = [];
  if (!userDataDir) ownDirs.push((userDataDir = tempDir('tunix-cs-user-')));
  if (!extensionsDir) ownDirs.push((extensionsDir = tempDir('tunix-cs-ext-')));
  port ??= await freePort();
  if (!existsSync(userSettingsPath(userDataDir))) writeUserSettings(userDataDir);
  // Its own config file, so nothing is written to ~/.config/code-server.
  const configFile = join(userDataDir, 'code-server.yaml');
  if (!existsSync(configFile)) writeFileSync(configFile, 'auth: none\ncert: false\n');
  const args = [
    codeServerEntry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    // Off unless a test is about Restricted Mode (workspaceTrust: true): no trust prompt in the way.
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(folder ? [folder] : []),
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const tail = [];
  const log = logFile ? createWriteStream(logFile) : undefined;
  const onData = (d) => {
    log?.write(d);
    for (const line of d.toString().split('\n')) if (line.trim()) tail.push(line);
    if (tail.length > 400) tail.splice(0, tail.length - 400);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const origin = `http://127.0.0.1:${port}`;
  const server = {
    port,
    origin,
    pid: child.pid,
    process: child,
    folder,
    userDataDir,
    extensionsDir,
    logTail: (n = 60) => tail.slice(-n).join('\n'),
    exited: () => exited,
    /** The workbench URL, optionally with a folder and a `payload` (array of [key, value]). */
    url({ folder: f = folder, payload } = {}) {
      const q = new URLSearchParams();
      if (f) q.set('folder', f);
      if (payload) q.set('payload', JSON.stringify(payload));
      const s = q.toString();
      return `${origin}/${s ? `?${s}` : ''}`;
    },
    /** `vscode-remote://127.0.0.1:PORT/abs/path`: how the workbench names a file on this server. */
    remoteUri: (absPath) => `vscode-remote://127.0.0.1:${port}${absPath}`,
    async stop() {
      await killGroup(child.pid);
      log?.end();
      for (const d of ownDirs) removeDir(d);
    },
  };
  try {
    await waitFor(
      async () => (await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) })).ok,
      {
        timeoutMs,
        message: () => `code-server to answer on ${origin}. Its log:\n${server.logTail()}`,
        stopOn: () => exited && `code-server exited (${exited.code ?? exited.signal}) before it answered. Its log:\n${server.logTail()}`,
      },
    );
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/** Headless Chromium through playwright-core (Debian's chromium; playwright downloads nothing). */
export async function launchBrowser() {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}; run node scripts/ensure-test-deps.mjs (or set TUNIX_CHROMIUM)`);
  const { chromium } = await import('playwright-core');
  // launch() gives every browser a fresh temporary profile and removes it on close().
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

function vsceCli() {
  return join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
}

/** Packages the built extension (dist/ must be current) into `outFile` with vsce. */
export function packageVsix(outFile) {
  for (let attempt = 1; ; attempt++) {
    const r = spawnSync(process.execPath, [vsceCli(), 'package', '--no-dependencies', '--out', outFile], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status === 0) return outFile;
    // A build rewriting dist/ while vsce zips it (npm run watch, another terminal) changes or
    // replaces files under it: try again once that build had a moment to finish.
    if (attempt < 4 && /unexpected number of bytes|ENOENT/.test(r.stderr)) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000 * attempt);
      continue;
    }
    throw new Error(`vsce package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** Installs a .vsix into an extensions dir with code-server's own CLI (the way a user would). */
export function installVsix(vsixFile, extensionsDir, userDataDir) {
  const scratchUser = userDataDir ? undefined : tempDir('tunix-cs-install-');
  const r = spawnSync(
    process.execPath,
    [codeServerEntry, '--user-data-dir', userDataDir ?? scratchUser, '--extensions-dir', extensionsDir, '--install-extension', vsixFile, '--force'],
    { encoding: 'utf8', env: { ...process.env } },
  );
  removeDir(scratchUser);
  if (r.status !== 0) throw new Error(`installing ${vsixFile} into ${extensionsDir} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function removeDir(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
