// Types of scripts/code-server.mjs, for the TypeScript tests that load it at run time
// (test/e2e/harness.ts).
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';

export const repoRoot: string;
export const codeServerEntry: string;
export const sampleWorkspace: string;
export const chromiumPath: string;
export const CHROMIUM_ARGS: string[];
export const BASE_SETTINGS: Record<string, unknown>;

export function ensureTestDeps(): string;
export function tempDir(prefix: string): string;
export function freePort(): Promise<number>;
export function waitFor<T>(
  condition: () => T | Promise<T>,
  options?: { timeoutMs?: number; intervalMs?: number; message?: string | (() => string); stopOn?: () => string | false | undefined | null },
): Promise<NonNullable<T>>;
export function copySampleWorkspace(dest?: string): string;
export function userSettingsPath(userDataDir: string): string;
export function writeUserSettings(userDataDir: string, extra?: Record<string, unknown>): string;
export function killGroupNow(pid: number | undefined): void;
export function killGroup(pid: number | undefined, graceMs?: number): Promise<void>;

export interface CodeServer {
  port: number;
  origin: string;
  pid: number;
  process: ChildProcess;
  folder: string | undefined;
  userDataDir: string;
  extensionsDir: string;
  logTail(lines?: number): string;
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  url(options?: { folder?: string; payload?: Array<[string, string]> }): string;
  remoteUri(absPath: string): string;
  stop(): Promise<void>;
}

export function startCodeServer(options?: {
  folder?: string;
  userDataDir?: string;
  extensionsDir?: string;
  env?: Record<string, string>;
  port?: number;
  logFile?: string;
  timeoutMs?: number;
  /** Leave VS Code's workspace trust on (default: off, --disable-workspace-trust). */
  workspaceTrust?: boolean;
}): Promise<CodeServer>;
export function launchBrowser(): Promise<Browser>;
export function packageVsix(outFile: string): string;
export function installVsix(vsixFile: string, extensionsDir: string, userDataDir?: string): string;
export function removeDir(dir: string | undefined): void;
