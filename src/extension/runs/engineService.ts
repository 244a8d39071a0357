// The window's run engine: created on first use from the shared store (sql.js loads then,
// never at activation), configured from the settings, told about workspace trust, and
// re-created when the workspace's database changes. On deactivate it detaches: runs keep
// training and the next window re-attaches to them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunEngine } from '../../core/run/engine';
import type { RunProgress, RunRecord } from '../../core/run/types';
import type { ExtensionContextServices } from '../platform/services';
import type { StoreService } from '../platform/storeService';
import { Commands, runCommand } from '../platform/commands';

export interface RunSettings {
  maxConcurrentRuns: number;
  heartbeatTimeoutSeconds: number;
  backend: string;
  externalCommand: string[];
}

export function readRunSettings(): RunSettings {
  const c = vscode.workspace.getConfiguration('tunix.training');
  const external = c.get<unknown>('externalCommand', []);
  return {
    maxConcurrentRuns: Math.max(1, Math.floor(c.get<number>('maxConcurrentRuns', 1) || 1)),
    heartbeatTimeoutSeconds: Math.max(0, c.get<number>('heartbeatTimeoutSeconds', 120) ?? 120),
    backend: c.get<string>('backend', 'auto'),
    externalCommand: Array.isArray(external) ? external.filter((a): a is string => typeof a === 'string') : [],
  };
}

export class RunEngineService implements vscode.Disposable {
  private engine: Promise<RunEngine> | undefined;
  private current: RunEngine | undefined;
  private readonly changed = new vscode.EventEmitter<RunRecord | undefined>();
  private readonly progressed = new vscode.EventEmitter<{ id: string; progress: RunProgress }>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.progressed];

  /** A run was added, changed, ended or removed (undefined: several, reload everything). */
  readonly onDidChangeRuns = this.changed.event;
  /** Live progress of a running run. */
  readonly onDidProgress = this.progressed.event;

  constructor(
    private readonly services: ExtensionContextServices,
    private readonly stores: StoreService,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('tunix.training') || !this.current) return;
        const s = readRunSettings();
        this.current.setMaxConcurrent(s.maxConcurrentRuns);
        this.current.setHeartbeatTimeout(s.heartbeatTimeoutSeconds * 1000);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.current?.setTrusted(true)),
      stores.onDidChange((e) => {
        if (e.kind === 'database') void this.reset();
      }),
    );
    services.onDispose(() => this.reset());
  }

  /** The engine, if one was started (does not open the database). */
  peek(): RunEngine | undefined {
    return this.current;
  }

  /** The engine for the workspace's database, starting it (and re-attaching to live runs) on first call. */
  get(): Promise<RunEngine> {
    this.engine ??= this.create().catch((err) => {
      this.engine = undefined;
      throw err;
    });
    return this.engine;
  }

  private async create(): Promise<RunEngine> {
    const store = await this.stores.open();
    const { createRunEngine } = await import('../../core/run/createEngine');
    const s = readRunSettings();
    const log = this.services.log;
    const engine = createRunEngine({
      store,
      databasePath: store.path,
      distDir: this.services.distDir,
      trusted: vscode.workspace.isTrusted,
      maxConcurrent: s.maxConcurrentRuns,
      heartbeatTimeoutMs: s.heartbeatTimeoutSeconds * 1000,
      attachToOthers: true,
      confirmExternal: (record, argv) => this.confirmExternal(record, argv),
      log: (m) => log.info(`runs: ${m}`),
    });
    engine.on('changed', (r) => this.changed.fire(r));
    engine.on('removed', () => this.changed.fire(undefined));
    engine.on('ended', (r) => {
      this.changed.fire(r);
      this.announceEnd(r);
    });
    engine.on('progress', (id, progress) => this.progressed.fire({ id, progress }));
    this.current = engine;
    await engine.reconcile();
    this.changed.fire(undefined);
    return engine;
  }

  /**
   * An external command this window did not start (a queued run left by a closed window or
   * carried in the workspace's database, or a resume of such a run) runs only after the user
   * has seen the exact command line.
   */
  private async confirmExternal(record: RunRecord, argv: readonly string[]): Promise<boolean> {
    const { formatCommandLine } = await import('../../core/run/externalCommand');
    const shown = formatCommandLine(argv);
    this.services.log.info(`runs: asking before running the external command of run ${record.id}: ${shown}`);
    const run = 'Run Command';
    const answer = await this.services.prompts.confirmModal(
      `Run "${record.name}" (${record.id}) was not started in this window. It runs this command in ${record.runDir}:\n\n${shown}\n\nRun it only if you know where it came from.`,
      run,
    );
    return answer === run;
  }

  private announceEnd(r: RunRecord): void {
    if (r.status === 'completed') {
      void vscode.window.showInformationMessage(`Training run "${r.name}" completed.`, 'Open Metrics').then((a) => a && runCommand(Commands.runsOpenMetrics, r.id));
    } else if (r.status === 'failed') {
      void vscode.window.showErrorMessage(`Training run "${r.name}" failed: ${r.outcome?.reason ?? 'see its log'}`, 'Open Log').then((a) => a && runCommand(Commands.runsOpenLog, r.id));
    }
  }

  /**
   * Whether a run folder of this workspace has a live launcher: a cheap look (no database)
   * used at activation to decide whether to re-attach right away.
   */
  hasLiveRunFolders(): boolean {
    const db = this.stores.path;
    if (!db) return false;
    const root = path.join(path.dirname(db), 'runs');
    let names: string[];
    try {
      names = fs.readdirSync(root);
    } catch {
      return false;
    }
    for (const name of names) {
      try {
        const info = JSON.parse(fs.readFileSync(path.join(root, name, 'process.json'), 'utf8')) as { pid?: number };
        if (fs.existsSync(path.join(root, name, 'exit.json'))) continue;
        if (info.pid && pidExists(info.pid)) return true;
      } catch {
        /* no process.json: never launched */
      }
    }
    return false;
  }

  private async reset(): Promise<void> {
    const pending = this.engine;
    this.engine = undefined;
    this.current = undefined;
    const engine = await pending?.catch(() => undefined);
    await engine?.dispose();
    this.changed.fire(undefined);
  }

  dispose(): void {
    void this.reset();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
