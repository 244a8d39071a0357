// The launcher: a tiny Node process (dist/launcher.js) that leads a run's process group,
// starts the trainer command without a shell, copies its stdout and stderr into the run's
// log files and, when the trainer ends, records how in exit.json. It exists so a run
// outlives the window that started it and its ending is still known: a reloaded VS Code
// or another CLI process reads exit.json instead of needing to be the trainer's parent.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { runFiles, readJsonFile, writeJsonAtomic, type ExitInfo, type LaunchSpec } from './runFolder';

/** Splits a byte stream into lines for the combined log, so stdout and stderr lines never mix mid-line. */
class LineSink {
  private pending = '';
  constructor(
    private readonly write: (line: string) => void,
    private readonly prefix: string,
    private readonly keep: (line: string) => boolean = () => true,
  ) {}
  push(chunk: string): void {
    const text = this.pending + chunk;
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    for (const p of parts) if (this.keep(p)) this.write(this.prefix + p + '\n');
  }
  flush(): void {
    if (this.pending) this.write(this.prefix + this.pending + '\n');
    this.pending = '';
  }
}

const HEARTBEAT_LINE = /^\s*\{\s*"event"\s*:\s*"heartbeat"[^{}]*\}\s*$/;

export async function runLauncher(runDir: string): Promise<number> {
  const files = runFiles(runDir);
  fs.mkdirSync(files.logs, { recursive: true });
  const launcherLog = fs.openSync(files.launcherLog, 'a');
  const note = (msg: string) => fs.writeSync(launcherLog, `${new Date().toISOString()} ${msg}\n`);
  const spec = readJsonFile<LaunchSpec>(files.launch);
  if (!spec || !Array.isArray(spec.argv) || spec.argv.length === 0) {
    note(`launch.json missing or invalid in ${runDir}`);
    writeJsonAtomic(files.exit, { attempt: spec?.attempt ?? 0, code: null, signal: null, endedAt: new Date().toISOString(), spawnError: 'launch.json missing or invalid' } satisfies ExitInfo);
    return 2;
  }
  // The engine ends a run by signalling the whole group. The launcher outlives SIGTERM so it
  // can record the trainer's exit; SIGKILL (after the grace period) ends it too.
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => note(`received ${sig}; waiting for the trainer to exit`));

  const stdoutFd = fs.openSync(files.stdout, 'a');
  const stderrFd = fs.openSync(files.stderr, 'a');
  const outputFd = fs.openSync(files.output, 'a');
  const writeOutput = (s: string) => fs.writeSync(outputFd, s);
  writeOutput(`--- attempt ${spec.attempt} started ${new Date().toISOString()}: ${spec.argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  note(`attempt ${spec.attempt}: starting ${JSON.stringify(spec.argv)} in ${spec.cwd}`);

  const child = spawn(spec.argv[0], spec.argv.slice(1), {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
    windowsHide: true,
  });
  // Heartbeats (one every few seconds) would bury the log a user reads; stdout.log keeps them.
  const outLines = new LineSink(writeOutput, '', (line) => !HEARTBEAT_LINE.test(line));
  const errLines = new LineSink(writeOutput, '[stderr] ');
  child.stdout!.on('data', (d: Buffer) => {
    fs.writeSync(stdoutFd, d);
    outLines.push(d.toString('utf8'));
  });
  child.stderr!.on('data', (d: Buffer) => {
    fs.writeSync(stderrFd, d);
    errLines.push(d.toString('utf8'));
  });

  const result = await new Promise<ExitInfo>((resolve) => {
    let spawnError: string | undefined;
    child.on('error', (err) => {
      spawnError = `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}`;
      // 'close' does not always follow a failed spawn.
      if (child.pid === undefined) resolve({ attempt: spec.attempt, code: null, signal: null, endedAt: new Date().toISOString(), spawnError });
    });
    const finish = (code: number | null, signal: string | null) =>
      resolve({ attempt: spec.attempt, code, signal, endedAt: new Date().toISOString(), childPid: child.pid, ...(spawnError ? { spawnError } : {}) });
    // 'close' waits for stdout/stderr to drain, so every line is in the logs before exit.json.
    // A grandchild that inherited the pipes could hold them open for ever: after 'exit',
    // wait at most two seconds for the drain.
    child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 2000).unref());
    child.on('close', (code, signal) => finish(code, signal));
  });
  outLines.flush();
  errLines.flush();
  const how = result.spawnError ? `could not start (${result.spawnError})` : result.signal ? `killed by ${result.signal}` : `exited with code ${result.code}`;
  writeOutput(`--- attempt ${spec.attempt} ${how} ${result.endedAt}\n`);
  note(`trainer ${how}`);
  writeJsonAtomic(files.exit, result);
  for (const fd of [stdoutFd, stderrFd, outputFd, launcherLog]) fs.closeSync(fd);
  return 0;
}
