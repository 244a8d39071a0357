// The layout of a run folder `.tunix/runs/<run-id>/` and small, atomic JSON file helpers.
// The folder is the source of truth for how a run's process ended (exit.json, kill.json),
// so any process (the VS Code extension, the CLI, a reloaded window) reaches the same verdict.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNoLinksOut, assertRealInside } from '../env/confine';
import { confinedJoin } from '../env/paths';
import { UserError } from '../errors';

export function runFiles(runDir: string) {
  const j = (...p: string[]) => path.join(runDir, ...p);
  return {
    dir: runDir,
    config: j('config.json'),
    manifest: j('run_manifest.json'),
    metrics: j('metrics.jsonl'),
    trainerState: j('trainer_state.json'),
    predictions: j('predictions.jsonl'),
    environment: j('environment.json'),
    checkpoints: j('checkpoints'),
    latestCheckpoint: j('checkpoints', 'latest.json'),
    model: j('model'),
    data: j('data'),
    logs: j('logs'),
    stdout: j('logs', 'stdout.log'),
    stderr: j('logs', 'stderr.log'),
    /** stdout and stderr interleaved line by line: the log a user opens. */
    output: j('logs', 'output.log'),
    launcherLog: j('logs', 'launcher.log'),
    /** What the launcher runs (argv, cwd, env additions), written by the engine. */
    launch: j('launch.json'),
    /** The launcher's pid and start token, written by the engine right after spawning. */
    process: j('process.json'),
    /** How the trainer process ended, written by the launcher. */
    exit: j('exit.json'),
    /** Why the engine killed the run (cancel, hang), written before the first signal. */
    kill: j('kill.json'),
  };
}
export type RunFiles = ReturnType<typeof runFiles>;

/** The runs folder next to the database: `<db folder>/runs`. */
export function runsRootFor(databasePath: string): string {
  return path.join(path.dirname(path.resolve(databasePath)), 'runs');
}

/**
 * What a run id may be: a plain folder name (letters, digits, `.`, `_`, `-`, starting with a
 * letter or digit, at most 128 characters). Ids made here (`run-20250101-120000-a1b2`) are;
 * an id read from a database that is not (`../x`, `/tmp/x`, `C:\\x`) names no run folder.
 */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isValidRunId(id: unknown): id is string {
  return typeof id === 'string' && RUN_ID.test(id);
}

/**
 * The folder of a run: always `<runs root>/<run id>`, whatever a database says. A folder path
 * stored with a record is never used, so a database shipped with a workspace cannot point a
 * run (its trainer, its writes) anywhere else.
 */
export function runDirFor(runsRoot: string, runId: string): string {
  if (!isValidRunId(runId)) {
    throw new UserError(`The run id ${JSON.stringify(runId)} is not a plain folder name (letters, digits, ".", "_", "-"); the database holding it was not written by Tunix RT. Delete that run record.`);
  }
  return confinedJoin(runsRoot, runId);
}

/**
 * Checks, before anything writes into a run folder, that neither the runs folder nor the run
 * folder is a link out of the database's folder; with `deep`, also that nothing inside the
 * run folder links out (done before a trainer starts in it).
 */
export function assertRunFolderConfined(runsRoot: string, runDir: string, deep = false): void {
  assertRealInside(path.dirname(path.resolve(runsRoot)), runsRoot, 'The runs folder');
  assertRealInside(runsRoot, runDir, 'The run folder');
  if (deep) assertNoLinksOut(runDir, 'The run folder');
}

/** Writes JSON through a temporary file and a rename, so readers never see half a file. */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

/** Reads a JSON file; undefined when it is missing or unreadable (callers decide what that means). */
export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export interface LaunchSpec {
  attempt: number;
  /** argv[0] is the program; no shell is involved. */
  argv: string[];
  cwd: string;
  /** Variables added to the launcher's environment. */
  env: Record<string, string>;
}

export interface ProcessInfo {
  attempt: number;
  pid: number;
  startToken?: string;
  launchedAt: string;
  /** Who launched it (pid of the engine's process), for diagnostics. */
  launchedBy: number;
  /** Size of logs/stdout.log when this attempt started: its events come after. */
  stdoutOffset: number;
}

export interface ExitInfo {
  attempt: number;
  code: number | null;
  signal: string | null;
  endedAt: string;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
  childPid?: number;
}

export type KillReason = 'cancel' | 'hang';
export interface KillInfo {
  attempt: number;
  reason: KillReason;
  at: string;
  /** Extra words for the record ("no heartbeat for 60 s"). */
  detail?: string;
}
