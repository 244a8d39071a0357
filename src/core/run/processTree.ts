// Process-level plumbing for runs: spawning a process in its own group, telling whether a
// recorded pid is still the same process (pids are reused), and ending a whole process tree
// (the trainer, its workers and anything they started) within seconds.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';

export interface SpawnGroupOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdio?: StdioOptions;
}

/**
 * Spawns `file args` without a shell as the leader of a new process group (POSIX setsid via
 * `detached`), so the group can be signalled as a whole and it survives its parent (a
 * VS Code reload). On Windows `detached` gives it its own console, hidden.
 */
export function spawnGroupLeader(file: string, args: readonly string[], opts: SpawnGroupOptions = {}): ChildProcess {
  return spawn(file, args as string[], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: opts.stdio ?? 'ignore',
    detached: true,
    shell: false,
    windowsHide: true,
  });
}

/** Linux: the fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function procStat(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * A token that identifies one process across time: its start time. Compared with the token
 * recorded at launch, it tells a live run from an unrelated process that got the same pid.
 * Undefined when the process does not exist (or the platform cannot say).
 */
export function processStartToken(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') {
    const f = procStat(pid);
    // Field 22 (starttime, clock ticks since boot) is index 19 after the name; field 3 (state) is index 0.
    if (!f || f[0] === 'Z') return undefined;
    return `linux:${f[19]}`;
  }
  if (process.platform === 'win32') {
    const r = spawnSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `(Get-Process -Id ${pid} -ErrorAction Stop).StartTime.ToFileTimeUtc()`], {
      encoding: 'utf8',
      windowsHide: true,
      timeout: 10_000,
    });
    const t = r.stdout?.trim();
    return r.status === 0 && t ? `win:${t}` : undefined;
  }
  const r = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 5000 });
  const t = r.stdout?.trim();
  return r.status === 0 && t ? `ps:${t}` : undefined;
}

/** True when `pid` runs and, given a token, is the very process the token was taken from. */
export function isSameProcessAlive(pid: number, startToken?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (startToken) return processStartToken(pid) === startToken;
  try {
    process.kill(pid, 0);
    return process.platform !== 'linux' || procStat(pid)?.[0] !== 'Z';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Linux: the live (non-zombie) processes of the tree under `root`, found both by process
 * group and by parent links, so a child that left the group (setsid) is still found.
 */
function linuxTree(root: number): number[] {
  const byParent = new Map<number, number[]>();
  const inGroup: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const f = procStat(pid);
    if (!f || f[0] === 'Z') continue;
    const ppid = Number(f[1]);
    const pgrp = Number(f[2]);
    if (pgrp === root) inGroup.push(pid);
    const list = byParent.get(ppid);
    if (list) list.push(pid);
    else byParent.set(ppid, [pid]);
  }
  const found = new Set<number>(inGroup);
  if (procStat(root) && procStat(root)?.[0] !== 'Z') found.add(root);
  const stack = [root, ...inGroup];
  while (stack.length) {
    const p = stack.pop()!;
    for (const c of byParent.get(p) ?? []) {
      if (!found.has(c)) {
        found.add(c);
        stack.push(c);
      }
    }
  }
  return [...found];
}

/** The processes still alive in the tree/group led by `pid`. */
export function treeMembers(pid: number): number[] {
  if (process.platform === 'linux') return linuxTree(pid);
  if (process.platform === 'win32') return isSameProcessAlive(pid) ? [pid] : [];
  try {
    process.kill(-pid, 0);
    return [pid];
  } catch {
    return [];
  }
}

function signalTree(pid: number, signal: NodeJS.Signals): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/PID', String(pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])], { windowsHide: true, timeout: 10_000 });
    return;
  }
  const targets = process.platform === 'linux' ? linuxTree(pid) : [];
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group may be gone already */
  }
  for (const t of targets) {
    try {
      process.kill(t, signal);
    } catch {
      /* already gone */
    }
  }
}

export interface KillTreeOptions {
  /** How long processes get to exit after SIGTERM before SIGKILL. */
  graceMs?: number;
  /** Gives up waiting for the tree to vanish after this long past SIGKILL. */
  killWaitMs?: number;
}

export type KillResult = 'not-running' | 'terminated' | 'killed' | 'survived';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends the process tree led by `pid`: SIGTERM to the group (and every descendant), then
 * SIGKILL to whatever remains after the grace period. On Windows: taskkill /T, then /T /F.
 * Resolves once nothing of the tree is left (or says it survived).
 */
export async function killProcessTree(pid: number, opts: KillTreeOptions = {}): Promise<KillResult> {
  const graceMs = opts.graceMs ?? 3000;
  if (treeMembers(pid).length === 0) return 'not-running';
  signalTree(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(50);
    if (treeMembers(pid).length === 0) return 'terminated';
  }
  signalTree(pid, 'SIGKILL');
  const killDeadline = Date.now() + (opts.killWaitMs ?? 5000);
  while (Date.now() < killDeadline) {
    if (treeMembers(pid).length === 0) return 'killed';
    await sleep(50);
  }
  return 'survived';
}
