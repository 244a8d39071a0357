// Installs what the integration and e2e tests need and a fresh machine lacks, only when it
// is missing (fast no-op otherwise):
//   - Debian packages: chromium (the browser the UI tests drive), libkrb5-dev (a native module
//     of code-server needs gssapi.h), ripgrep (code-server's ripgrep postinstall is fed
//     /usr/bin/rg), and the Mesa/Vulkan libraries the WebGPU-on-CPU test path uses.
//   - code-server 4.99.4 (VS Code 1.99.3; the last release that runs on Node 20) into the
//     ignored folder .cache/code-server/, never as a dependency of package.json.
// The recipe is the one measured in ENVIRONMENT.md. Usable as a script or imported
// (`ensureTestDeps()` returns the code-server entry path).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.99.4';
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** TUNIX_CODE_SERVER_DIR shares one install between checkouts; default .cache/code-server. */
export const codeServerDir = resolve(process.env.TUNIX_CODE_SERVER_DIR || join(repoRoot, '.cache', 'code-server'));
const marker = join(codeServerDir, 'installed-version');
/** The entry a Node process runs to start code-server (avoids the shell wrapper in .bin). */
export const codeServerEntry = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const APT_PACKAGES = [
  'chromium',
  'libkrb5-dev',
  'ripgrep',
  // Fonts that make screenshots look like a user's (chromium only recommends them).
  'fonts-liberation',
  // The WebGPU (Dawn) path on Mesa: EGL/GLES for the opengles backend, Vulkan loader.
  'libvulkan1',
  'libegl1',
  'libegl-mesa0',
  'libgles2',
  'libgl1-mesa-dri',
];

function say(msg) {
  console.log(`[test-deps] ${msg}`);
}

/** Runs a command with an argument array; its output goes to stderr so stdout stays a test report. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 2, 2], ...opts });
  if (r.error) throw new Error(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function isInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === 'install ok installed';
}

function ensureAptPackages() {
  if (process.platform !== 'linux' || spawnSync('dpkg-query', ['--version']).status !== 0) {
    say('not a Debian-like system: install chromium, ripgrep and the Kerberos headers yourself if the tests need them');
    return;
  }
  const missing = APT_PACKAGES.filter((p) => !isInstalled(p));
  if (!missing.length) return;
  say(`installing Debian packages: ${missing.join(' ')}`);
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : ['sudo', '-n'];
  if (!asRoot && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}. Install them (as root: apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}) and run the tests again.`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (prefix.length ? run(prefix[0], [...prefix.slice(1), 'apt-get', ...args], { env }) : run('apt-get', args, { env }));
  // Another checkout's install may hold dpkg's lock: wait for it rather than fail.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  apt([...lock, 'update', '-q']);
  apt([...lock, 'install', '-y', '-q', '--no-install-recommends', ...missing]);
}

function codeServerPresent() {
  return existsSync(codeServerEntry) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION;
}

/**
 * @vscode/ripgrep's postinstall downloads ripgrep from GitHub unless it finds this archive in
 * its cache; an archive holding Debian's /usr/bin/rg satisfies it offline.
 */
function seedRipgrepCache() {
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(cacheDir, RIPGREP_ASSET);
  if (existsSync(archive)) return;
  if (!existsSync('/usr/bin/rg')) throw new Error('/usr/bin/rg is missing (Debian package "ripgrep"); code-server\'s install needs it');
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${archive}.partial`;
  run('tar', ['-czf', partial, '-C', '/usr/bin', 'rg']);
  renameSync(partial, archive);
}

function ensureCodeServer() {
  if (codeServerPresent()) return;
  say(`installing code-server ${CODE_SERVER_VERSION} into ${codeServerDir} (about a minute, ~300 MB)`);
  seedRipgrepCache();
  // A stale or half-finished install is replaced whole; the marker is written last.
  rmSync(codeServerDir, { recursive: true, force: true, maxRetries: 5 });
  mkdirSync(codeServerDir, { recursive: true });
  writeFileSync(join(codeServerDir, 'package.json'), JSON.stringify({ name: 'tunix-rt-code-server', private: true }, null, 2) + '\n');
  // The install runs as from a clean shell: the lifecycle variables of an outer `npm test`
  // (npm_config_prefix, npm_config_local_prefix, npm_package_*, ...) must not steer the
  // nested installs code-server's postinstall runs.
  // Registry, proxy and cache settings stay.
  const lifecycle = /^(npm_package_|npm_lifecycle_|npm_command$|npm_execpath$|npm_node_execpath$|npm_config_(local_prefix|prefix|global_prefix|call|argv)$|INIT_CWD$)/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !lifecycle.test(k)));
  env.npm_config_yes = 'true'; // a nested `npx node-gyp` would otherwise refuse without a prompt
  env.npm_config_unsafe_perm = 'true'; // code-server's postinstall refuses to run as root otherwise
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['install', `code-server@${CODE_SERVER_VERSION}`, '--prefix', codeServerDir, '--no-audit', '--no-fund', '--loglevel', 'error'], {
    env,
    cwd: codeServerDir,
  });
  if (!existsSync(codeServerEntry)) throw new Error(`code-server installed but ${codeServerEntry} is missing`);
  writeFileSync(marker, CODE_SERVER_VERSION + '\n');
  say(`code-server ${CODE_SERVER_VERSION} installed`);
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Runs `fn` holding .cache/code-server.lock, so two test runs started at once (two terminals,
 * several engineers on one checkout) never install into the same folder at the same time.
 * A lock whose process is gone is taken over.
 */
function withInstallLock(fn) {
  const lock = `${codeServerDir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let owner = 0;
    let ageMs = 0;
    try {
      owner = Number(readFileSync(lock, 'utf8').trim());
      ageMs = Date.now() - statSync(lock).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    // An empty lock file is one being written right now, unless it is old.
    if ((owner && !processAlive(owner)) || (!owner && ageMs > 10_000)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`process ${owner} has been installing the test dependencies for 20 minutes (${lock}); stop it or remove the lock`);
    if (!told) say(`waiting for process ${owner}, which is installing the test dependencies`);
    told = true;
    sleepSync(500);
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function everythingPresent() {
  const apt = process.platform !== 'linux' || spawnSync('dpkg-query', ['--version']).status !== 0 || APT_PACKAGES.every(isInstalled);
  return apt && codeServerPresent();
}

/** Makes sure everything is present; returns the code-server entry script. */
export function ensureTestDeps() {
  if (everythingPresent()) return codeServerEntry;
  withInstallLock(() => {
    // Checked again under the lock: the process we waited for may have installed it all.
    ensureAptPackages();
    ensureCodeServer();
  });
  return codeServerEntry;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  try {
    ensureTestDeps();
    say(`ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (err) {
    console.error(`[test-deps] ${err.message}`);
    process.exit(2);
  }
}
