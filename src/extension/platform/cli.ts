// Runs the bundled `tunix-rt` CLI as a child process (argument array, no shell). Used for
// work that must stay off the extension host's thread or load native code (doctor's GPU
// probe, for instance). Under desktop VS Code process.execPath is Electron, so it runs as Node.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type * as vscode from 'vscode';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd?: string;
  /** Cancelling sends the CLI SIGTERM (commands that start runs cancel them, then exit). */
  token?: vscode.CancellationToken;
  /** Each complete line the CLI writes to stderr (its progress), as it comes. */
  onStderrLine?: (line: string) => void;
}

export function runCli(distDir: string, args: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(distDir, 'cli.js'), ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    let partial = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!opts.onStderrLine) return;
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) opts.onStderrLine(line.replace(/\r$/, ''));
    });
    const sub = opts.token?.onCancellationRequested(() => child.kill());
    child.on('error', (err) => {
      sub?.dispose();
      reject(err);
    });
    child.on('close', (code) => {
      sub?.dispose();
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
