// Starts one attempt of a run: writes launch.json, spawns the launcher (dist/launcher.js)
// as the leader of a new process group, and records its pid and start time in
// process.json so any later process can find it, re-attach to it or end it.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { processStartToken, spawnGroupLeader } from './processTree';
import { runFiles, writeJsonAtomic, type LaunchSpec, type ProcessInfo } from './runFolder';

export interface LaunchOptions {
  runDir: string;
  attempt: number;
  argv: string[];
  cwd: string;
  env?: Record<string, string>;
  /** Absolute path of dist/launcher.js. */
  launcherPath: string;
  /** The Node binary (in VS Code: process.execPath with ELECTRON_RUN_AS_NODE). */
  nodePath?: string;
}

export interface LaunchedProcess {
  child: ChildProcess;
  pid: number;
  startToken?: string;
  /** Size of the stdout log before this attempt, so its events are read from there on. */
  stdoutOffset: number;
}

export function launchAttempt(opts: LaunchOptions): LaunchedProcess {
  const files = runFiles(opts.runDir);
  fs.mkdirSync(files.logs, { recursive: true });
  if (!fs.existsSync(opts.launcherPath)) {
    throw new Error(`The run launcher is missing at ${opts.launcherPath}; rebuild the extension (node esbuild.mjs).`);
  }
  // Files of an earlier attempt must not be mistaken for this one's.
  for (const f of [files.exit, files.kill]) fs.rmSync(f, { force: true });
  let stdoutOffset = 0;
  try {
    stdoutOffset = fs.statSync(files.stdout).size;
  } catch {
    /* first attempt */
  }
  const spec: LaunchSpec = { attempt: opts.attempt, argv: opts.argv, cwd: opts.cwd, env: opts.env ?? {} };
  writeJsonAtomic(files.launch, spec);
  const child = spawnGroupLeader(opts.nodePath ?? process.execPath, [opts.launcherPath, opts.runDir], {
    cwd: opts.cwd,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: 'ignore',
  });
  child.on('error', () => undefined); // reported through pid below / exit.json, never as a crash
  if (child.pid === undefined) throw new Error(`Could not start the run launcher (${opts.nodePath ?? process.execPath}).`);
  // The launcher must not keep this process alive (the CLI waits on the run explicitly).
  child.unref();
  const startToken = processStartToken(child.pid);
  const info: ProcessInfo = { attempt: opts.attempt, pid: child.pid, startToken, launchedAt: new Date().toISOString(), launchedBy: process.pid, stdoutOffset };
  writeJsonAtomic(files.process, info);
  return { child, pid: child.pid, startToken, stdoutOffset };
}
