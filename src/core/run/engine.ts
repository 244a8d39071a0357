// The run engine: creates runs (record in the store + run folder), queues them under a
// concurrency limit, launches each as a supervised process tree, follows its progress,
// records how it ended, and cancels, resumes, re-attaches and deletes runs. Used by the
// VS Code extension (one engine per window) and by the CLI (`tunix-rt train`, `runs`).
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isUserError, UserError } from '../errors';
import type { Store } from '../store/store';
import { VERSION } from '../version';
import { assertTrustedForExternal, expandCommand, formatCommandLine, type PlaceholderValues } from './externalCommand';
import { lastLines, readNewLines } from './fileTail';
import { launchAttempt } from './launch';
import { writeManifest } from './manifest';
import type { MetricsBatch } from './metricsSource';
import { decideOutcome } from './outcome';
import { isSameProcessAlive, processStartToken } from './processTree';
import { RunQueue } from './queue';
import { assertRunFolderConfined, isValidRunId, readJsonFile, runDirFor, runFiles, writeJsonAtomic, type ExitInfo, type KillInfo, type ProcessInfo } from './runFolder';
import { deleteRunRow, getRun, listRuns, resolveRunId, upsertRun, type RunQuery } from './runStore';
import { canCancel, canResume, transition } from './status';
import { RunSupervisor } from './supervisor';
import { applyOverrides, buildTrainerConfig, defaultTunables, DEFAULT_HEARTBEAT_INTERVAL_MS, type TunableConfig } from './trainerConfig';
import { parseTrainerEvent } from './trainerEvents';
import { BACKEND_CHOICES, BUILTIN_RECIPES, isActive, type BackendChoice, type RecipeName, type RunEnvironment, type RunOutcome, type RunProgress, type RunRecord, type RunStatus } from './types';

/** Split files a dataset export wrote into the run folder, relative to it. */
export interface PreparedData {
  /** All splits in one file (for ${dataset}). */
  dataset: string;
  train: string;
  val?: string;
  test?: string;
}

/** Exports a dataset's splits (tunix_sft JSONL) into `<runDir>/data/`. */
export type DataPreparer = (datasetKey: string, runDir: string) => Promise<PreparedData>;

export interface RunEngineOptions {
  store: Store;
  /** Where run folders go (`<db folder>/runs`). */
  runsRoot: string;
  prepareData: DataPreparer;
  /** dist/launcher.js. */
  launcherPath: string;
  /** The built-in trainer's argv before the run folder (default: node dist/trainer.js). */
  builtinCommand: string[];
  /** Node for the launcher (in VS Code process.execPath runs as Node with ELECTRON_RUN_AS_NODE). */
  nodePath?: string;
  maxConcurrent?: number;
  /** No heartbeat for this long fails the run (0 = never). */
  heartbeatTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  killGraceMs?: number;
  /**
   * External commands are refused, and queued runs of other (gone) processes are not adopted,
   * unless true (VS Code: workspace trust; the CLI: true).
   */
  trusted: boolean;
  /**
   * Asked before an external command runs that this engine did not submit (a queued run
   * adopted from a closed window or a database that came with the workspace, or a resume of
   * such a run): show `argv` and resolve true to run it. Without it such a run is refused.
   */
  confirmExternal?: (record: RunRecord, argv: readonly string[]) => Promise<boolean>;
  /** Variables added to every trainer's environment. */
  env?: Record<string, string>;
  /** How often progress is written to the store (it is always written on status changes). */
  progressPersistMs?: number;
  /**
   * Watch runs other processes launched and adopt queued runs whose owner is gone (a VS Code
   * window: true). A CLI command that only looks (runs list) or runs its own run: false.
   */
  attachToOthers?: boolean;
  log?: (message: string) => void;
}

export interface SubmitRequest {
  datasetKey: string;
  recipe?: RecipeName;
  /** Required for recipe 'external': the argument array with ${...} placeholders. */
  command?: string[];
  backend?: BackendChoice;
  /** `key=value` settings applied over the recipe's defaults. */
  overrides?: readonly string[];
  /** Start from these instead of the recipe's defaults. */
  tunables?: TunableConfig;
  name?: string;
}

export interface EngineEvents {
  /** A record changed (status, progress, environment). */
  changed: [RunRecord];
  /** Live progress of a running run (more frequent than `changed`). */
  progress: [string, RunProgress];
  metrics: [string, MetricsBatch];
  ended: [RunRecord];
  removed: [string];
}

interface Watched {
  supervisor: RunSupervisor;
  /** True when this engine launched it (it then owns the queue slot). */
  owned: boolean;
  lastPersist: number;
}

/** The user said no to running an external command they had not given in this session. */
class NotConfirmedError extends UserError {}

/** A sortable, readable, folder-safe run id: run-20250101-120000-a1b2. */
export function newRunId(now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `run-${stamp}-${randomBytes(2).toString('hex')}`;
}

export class RunEngine extends EventEmitter<EngineEvents> {
  private readonly queue: RunQueue;
  private readonly watched = new Map<string, Watched>();
  private readonly enders = new Map<string, Array<(r: RunRecord) => void>>();
  /** Runs this engine submitted: their external command was given here, so it runs without asking again. */
  private readonly submittedHere = new Set<string>();
  private disposed = false;
  private heartbeatTimeoutMs: number;
  private readonly storeUnsubscribe: () => void;

  constructor(private readonly opts: RunEngineOptions) {
    super();
    this.heartbeatTimeoutMs = opts.heartbeatTimeoutMs ?? 120_000;
    this.queue = new RunQueue(opts.maxConcurrent ?? 1, (id) => this.startQueued(id));
    this.self = { pid: process.pid, startToken: processStartToken(process.pid) };
    // Other processes (the CLI, another window) add and change runs: re-attach to new ones.
    this.storeUnsubscribe = opts.store.onDidChange((e) => {
      if (e.origin !== 'local') void this.reconcile().catch((err) => this.log(`reconcile failed: ${(err as Error).message}`));
    });
  }

  private readonly self: { pid: number; startToken?: string };

  private isMine(owner: RunRecord['owner']): boolean {
    return !!owner && owner.pid === this.self.pid && owner.startToken === this.self.startToken;
  }

  private ownerAlive(owner: RunRecord['owner']): boolean {
    return !!owner && (this.isMine(owner) || isSameProcessAlive(owner.pid, owner.startToken));
  }

  get store(): Store {
    return this.opts.store;
  }

  get runsRoot(): string {
    return this.opts.runsRoot;
  }

  setMaxConcurrent(n: number): void {
    this.queue.setLimit(n);
  }

  setHeartbeatTimeout(ms: number): void {
    this.heartbeatTimeoutMs = ms;
  }

  /**
   * Workspace trust changed: external commands become allowed (or not) from now on, and
   * queued runs left by gone processes may now be adopted (external ones still ask).
   */
  setTrusted(trusted: boolean): void {
    const granted = trusted && !this.opts.trusted;
    this.opts.trusted = trusted;
    if (granted) void this.reconcile().catch((err) => this.log(`reconcile failed: ${(err as Error).message}`));
  }

  get trusted(): boolean {
    return this.opts.trusted;
  }

  private log(message: string): void {
    this.opts.log?.(message);
  }

  // ------------------------------------------------------------------ queries

  list(query?: RunQuery): RunRecord[] {
    const records = this.opts.store.read((q) => listRuns(q, query));
    return records.map((r) => this.withLiveProgress(r));
  }

  get(id: string): RunRecord | undefined {
    const r = this.opts.store.read((q) => getRun(q, id));
    return r && this.withLiveProgress(r);
  }

  /** Accepts a full id or a unique prefix. */
  resolve(idOrPrefix: string): RunRecord {
    const id = this.opts.store.read((q) => resolveRunId(q, idOrPrefix));
    return this.get(id)!;
  }

  /** The queue position of a queued run (1 = next). */
  queuePosition(id: string): number | undefined {
    return this.queue.position(id);
  }

  private withLiveProgress(r: RunRecord): RunRecord {
    const w = this.watched.get(r.id);
    return w && r.status === 'running' ? { ...r, progress: { ...r.progress, ...w.supervisor.progress } } : r;
  }

  // ------------------------------------------------------------------ writes

  private async save(r: RunRecord): Promise<RunRecord> {
    await this.opts.store.write((tx) => upsertRun(tx, r), { purpose: `recording run ${r.id}` });
    this.writeManifestOf(r);
    this.emit('changed', r);
    return r;
  }

  /** run_manifest.json, rewritten on every change; never through a link out of the runs folder. */
  private writeManifestOf(r: RunRecord): void {
    try {
      assertRunFolderConfined(this.opts.runsRoot, r.runDir);
      writeManifest(r, VERSION);
    } catch (err) {
      this.log(`could not write ${r.runDir}/run_manifest.json: ${(err as Error).message}`);
    }
  }

  /**
   * Applies `change` to the current record inside one write transaction (so a change another
   * process committed meanwhile is not overwritten), checking the status change.
   */
  private async update(id: string, change: (r: RunRecord) => Partial<RunRecord>): Promise<RunRecord> {
    const next = await this.opts.store.write(
      (tx) => {
        const current = getRun(tx, id);
        if (!current) throw new UserError(`Run ${id} no longer exists (it was deleted).`);
        const patch = change(current);
        const updated: RunRecord = { ...current, ...patch };
        if (patch.status) updated.status = transition(id, current.status, patch.status);
        upsertRun(tx, updated);
        return updated;
      },
      { purpose: `recording run ${id}` },
    );
    this.writeManifestOf(next);
    this.emit('changed', next);
    return next;
  }

  // ------------------------------------------------------------------ submit

  /** Creates a queued run (record + folder + config); it starts when a slot is free. */
  async submit(req: SubmitRequest): Promise<RunRecord> {
    if (this.disposed) throw new Error('The run engine is shut down.');
    const recipe: RecipeName = req.recipe ?? 'sft_transformer';
    if (recipe !== 'external' && !(BUILTIN_RECIPES as readonly string[]).includes(recipe)) {
      throw new UserError(`Unknown recipe "${recipe}". Recipes: ${[...BUILTIN_RECIPES, 'external'].join(', ')}.`);
    }
    if (!req.datasetKey?.trim()) throw new UserError('Choose a dataset to train on (its key, e.g. addition-v1).');
    const backend = req.backend ?? 'auto';
    if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) throw new UserError(`Unknown backend "${backend}". Backends: ${BACKEND_CHOICES.join(', ')}.`);
    let command: string[] | undefined;
    if (recipe === 'external') {
      assertTrustedForExternal(this.opts.trusted);
      if (!req.command?.length) throw new UserError('An external run needs a command: the program and its arguments, with placeholders such as ${train} and ${output_dir}.');
      command = [...req.command];
      // Catch unknown placeholders now, not after the export.
      expandCommand(command, { dataset: '', train: '', val: '', test: '', output_dir: '', config: '', run_id: '' });
    }
    const tunables = applyOverrides(req.tunables ?? defaultTunables(recipe), req.overrides ?? []);
    if (recipe === 'observer_classifier' && !tunables.extras?.label_field) {
      throw new UserError('The observer_classifier recipe needs the metadata key to predict: add --set label_field=KEY (for example label_field=answer_correct).');
    }
    const id = newRunId();
    const runDir = runDirFor(this.opts.runsRoot, id);
    assertRunFolderConfined(this.opts.runsRoot, runDir);
    fs.mkdirSync(runDir, { recursive: true });
    const config = buildTrainerConfig({
      runId: id,
      recipe,
      backend,
      tunables,
      // Filled in when the data is exported, just before launch.
      data: { train: 'data/train.jsonl' },
      heartbeatIntervalMs: this.opts.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    });
    const record: RunRecord = {
      id,
      name: req.name?.trim() || `${recipe === 'external' ? path.basename(command![0]) : recipe} on ${req.datasetKey}`,
      datasetKey: req.datasetKey,
      recipe,
      ...(command ? { command } : {}),
      backend: recipe === 'external' ? 'external' : backend,
      seed: tunables.seed,
      config,
      status: 'queued',
      runDir,
      createdAt: new Date().toISOString(),
      attempts: 0,
      progress: recipe === 'external' ? {} : { totalSteps: config.training.steps },
      owner: this.self,
    };
    writeJsonAtomic(runFiles(runDir).config, config);
    this.submittedHere.add(id);
    await this.save(record);
    this.queue.enqueue(id);
    return this.get(id)!;
  }

  /** Resolves when the run reaches a final status. */
  waitForEnd(id: string): Promise<RunRecord> {
    const r = this.get(id);
    if (r && !isActive(r.status)) return Promise.resolve(r);
    return new Promise((resolve) => {
      const list = this.enders.get(id) ?? [];
      list.push(resolve);
      this.enders.set(id, list);
    });
  }

  private notifyEnded(r: RunRecord): void {
    this.emit('ended', r);
    for (const fn of this.enders.get(r.id) ?? []) fn(r);
    this.enders.delete(r.id);
  }

  // ------------------------------------------------------------------ start

  private async startQueued(id: string): Promise<void> {
    // Inside one write transaction (serialized across processes): still queued and still ours?
    const record = this.disposed
      ? undefined
      : await this.opts.store.write((tx) => {
          const r = getRun(tx, id);
          return r && r.status === 'queued' && this.isMine(r.owner) ? r : undefined;
        });
    if (!record) {
      this.queue.release(id);
      return;
    }
    try {
      await this.launch(record);
    } catch (err) {
      if (err instanceof NotConfirmedError) {
        const ended = await this.update(id, () => ({ status: 'cancelled', endedAt: new Date().toISOString(), outcome: { status: 'cancelled', reason: err.message } })).catch(() => undefined);
        this.queue.release(id);
        if (ended) this.notifyEnded(ended);
        return;
      }
      const reason = (err as Error).message;
      this.log(`run ${id} could not start: ${reason}`);
      const ended = await this.update(id, () => ({
        status: 'failed',
        endedAt: new Date().toISOString(),
        outcome: { status: 'failed', kind: isUserError(err) ? 'bad-config' : 'spawn', reason: `could not start: ${reason}`, lastLogLines: [] },
      })).catch(() => undefined);
      this.queue.release(id);
      if (ended) this.notifyEnded(ended);
    }
  }

  private async ensureData(record: RunRecord): Promise<RunRecord['config']['data'] & { dataset?: string }> {
    const files = runFiles(record.runDir);
    const existing = readJsonFile<PreparedData>(path.join(files.data, 'prepared.json'));
    if (existing && fs.existsSync(path.join(record.runDir, existing.train))) return existing;
    const prepared = await this.opts.prepareData(record.datasetKey, record.runDir);
    writeJsonAtomic(path.join(files.data, 'prepared.json'), prepared);
    return prepared;
  }

  private async launch(record: RunRecord): Promise<void> {
    // Nothing is written into the folder (data, config, logs) before it is known to be ours.
    assertRunFolderConfined(this.opts.runsRoot, record.runDir, true);
    if (record.recipe === 'external') assertTrustedForExternal(this.opts.trusted);
    const prepared = (await this.ensureData(record)) as PreparedData;
    const resume = record.attempts > 0;
    const config = {
      ...record.config,
      data: { train: prepared.train, ...(prepared.val ? { val: prepared.val } : {}), ...(prepared.test ? { test: prepared.test } : {}) },
      resume,
    };
    const files = runFiles(record.runDir);
    writeJsonAtomic(files.config, config);
    let argv: string[];
    if (record.recipe === 'external') {
      const abs = (rel?: string) => (rel ? path.join(record.runDir, rel) : undefined);
      const values: PlaceholderValues = {
        dataset: abs(prepared.dataset),
        train: abs(prepared.train),
        val: abs(prepared.val),
        test: abs(prepared.test),
        output_dir: record.runDir,
        config: files.config,
        run_id: record.id,
      };
      argv = expandCommand(record.command ?? [], values);
      if (!this.submittedHere.has(record.id)) await this.confirmExternal(record, argv);
    } else {
      argv = [...this.opts.builtinCommand, record.runDir];
    }
    const attempt = record.attempts + 1;
    const launched = launchAttempt({
      runDir: record.runDir,
      attempt,
      argv,
      cwd: record.runDir,
      env: { TUNIX_RUN_ID: record.id, TUNIX_RUN_DIR: record.runDir, ...(resume ? { TUNIX_RESUME: '1' } : {}), ...(this.opts.env ?? {}) },
      launcherPath: this.opts.launcherPath,
      nodePath: this.opts.nodePath,
    });
    const now = new Date().toISOString();
    const running = await this.update(record.id, (r) => ({
      status: 'running',
      config,
      attempts: attempt,
      pid: launched.pid,
      processStartToken: launched.startToken,
      startedAt: r.startedAt ?? now,
      endedAt: undefined,
      outcome: undefined,
      progress: { ...r.progress, etaSeconds: undefined },
    }));
    this.watch(running, { child: launched.child, stdoutOffset: launched.stdoutOffset, owned: true });
  }

  /**
   * An external command this engine did not submit runs only after the user saw it and said
   * yes (a database can come with a workspace, carrying any command in a queued run).
   */
  private async confirmExternal(record: RunRecord, argv: readonly string[]): Promise<void> {
    const shown = formatCommandLine(argv);
    if (!this.opts.confirmExternal) {
      throw new UserError(`Run ${record.id} would run the external command \`${shown}\`, which was not given in this session; start it yourself (tunix-rt runs resume ${record.id}) if you trust it.`);
    }
    if (!(await this.opts.confirmExternal(record, argv))) throw new NotConfirmedError(`not started: its external command \`${shown}\` was not confirmed`);
    this.submittedHere.add(record.id);
  }

  // ------------------------------------------------------------------ supervision

  private watch(record: RunRecord, how: { child?: import('node:child_process').ChildProcess; stdoutOffset: number; owned: boolean }): void {
    // A launch that finishes after dispose() (the CLI's --detach returns as soon as the run
    // is recorded as running) must not start watching: the run goes on unwatched.
    if (this.watched.has(record.id) || this.disposed) return;
    const supervisor = new RunSupervisor({
      runDir: record.runDir,
      attempt: record.attempts,
      pid: record.pid!,
      startToken: record.processStartToken,
      child: how.child,
      protocol: record.recipe !== 'external',
      heartbeatTimeoutMs: this.heartbeatTimeoutMs,
      killGraceMs: this.opts.killGraceMs,
      // An external command has its own idea of the run length; only what it reports counts.
      plannedSteps: record.recipe === 'external' ? undefined : record.config.training.steps,
      stdoutOffset: how.stdoutOffset,
    });
    const entry: Watched = { supervisor, owned: how.owned, lastPersist: Date.now() };
    this.watched.set(record.id, entry);
    if (how.owned) this.queue.markActive(record.id);
    supervisor.on('progress', (p) => {
      this.emit('progress', record.id, p);
      const every = this.opts.progressPersistMs ?? 10_000;
      if (Date.now() - entry.lastPersist >= every) {
        entry.lastPersist = Date.now();
        void this.update(record.id, (r) => (r.status === 'running' ? { progress: { ...r.progress, ...p } } : {})).catch(() => undefined);
      }
    });
    supervisor.on('environment', (env) => {
      void this.update(record.id, (r) => ({ environment: { ...r.environment, ...env } })).catch(() => undefined);
    });
    supervisor.on('metrics', (batch) => this.emit('metrics', record.id, batch));
    supervisor.on('ended', (outcome) => void this.onEnded(record.id, outcome, supervisor));
    supervisor.start();
  }

  private async onEnded(id: string, outcome: RunOutcome, supervisor: RunSupervisor): Promise<void> {
    const entry = this.watched.get(id);
    this.watched.delete(id);
    const environment = readJsonFile<RunEnvironment>(supervisor.files.environment);
    let ended: RunRecord | undefined;
    try {
      ended = await this.update(id, (r) => {
        if (r.status !== 'running') return {}; // another process recorded it first
        return {
          status: outcome.status,
          outcome,
          endedAt: new Date().toISOString(),
          pid: undefined,
          processStartToken: undefined,
          progress: { ...r.progress, ...supervisor.progress },
          ...(environment ? { environment: { ...r.environment, ...environment } } : {}),
        };
      });
    } catch (err) {
      this.log(`run ${id}: could not record its end (${(err as Error).message})`);
    }
    if (entry?.owned) this.queue.release(id);
    if (ended) this.notifyEnded(ended);
  }

  /**
   * Brings records in line with reality after a start or a change by another process:
   * running runs whose process lives are watched (re-attached); those whose process is gone
   * get the outcome their folder records, or `interrupted`. Queued runs of no live owner
   * join this engine's queue.
   */
  async reconcile(): Promise<void> {
    if (this.disposed) return;
    const attach = this.opts.attachToOthers ?? true;
    const records = this.opts.store.read((q) => listRuns(q, { status: ['running', 'queued'] }));
    for (const r of records) {
      if (this.watched.has(r.id)) continue;
      if (r.status === 'queued') {
        if (this.isMine(r.owner)) this.queue.enqueue(r.id);
        // In an untrusted workspace nothing starts on its own: the database may have come
        // with the workspace. The user starts such a run (Resume) or trusts the workspace.
        else if (attach && this.opts.trusted && !this.ownerAlive(r.owner)) await this.adopt(r.id);
        continue;
      }
      if (r.pid && isSameProcessAlive(r.pid, r.processStartToken)) {
        if (!attach) continue;
        this.log(`re-attaching to run ${r.id} (pid ${r.pid})`);
        this.watch(r, { stdoutOffset: this.stdoutOffsetOfAttempt(r), owned: false });
        continue;
      }
      const outcome = await this.outcomeFromFolder(r);
      this.log(`run ${r.id} is no longer running: ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}`);
      const ended = await this.update(r.id, (cur) =>
        cur.status !== 'running' ? {} : { status: outcome.status, outcome, endedAt: new Date().toISOString(), pid: undefined, processStartToken: undefined },
      ).catch(() => undefined);
      if (ended) this.notifyEnded(ended);
    }
  }

  /** Takes over a queued run whose owner process is gone (checked again inside the write). */
  private async adopt(id: string): Promise<void> {
    const adopted = await this.opts.store.write((tx) => {
      const r = getRun(tx, id);
      if (!r || r.status !== 'queued' || this.ownerAlive(r.owner)) return false;
      upsertRun(tx, { ...r, owner: this.self });
      return true;
    });
    if (adopted) {
      this.log(`adopting queued run ${id} (its window or CLI is gone)`);
      this.queue.enqueue(id);
    }
  }

  /** Where the current attempt's events begin in the stdout log (after the previous attempts' lines). */
  private stdoutOffsetOfAttempt(r: RunRecord): number {
    const info = readJsonFile<ProcessInfo>(runFiles(r.runDir).process);
    return info && info.attempt === r.attempts && Number.isFinite(info.stdoutOffset) ? info.stdoutOffset : 0;
  }

  private async outcomeFromFolder(r: RunRecord): Promise<RunOutcome> {
    const files = runFiles(r.runDir);
    let completedEvent = false;
    let errorEvent: { message: string; kind?: string } | undefined;
    const { lines } = await readNewLines(files.stdout, this.stdoutOffsetOfAttempt(r));
    for (const line of lines) {
      const ev = parseTrainerEvent(line);
      if (ev?.event === 'completed') completedEvent = true;
      if (ev?.event === 'error') errorEvent = { message: ev.message, kind: ev.kind };
    }
    return decideOutcome({
      attempt: r.attempts,
      exit: readJsonFile<ExitInfo>(files.exit),
      kill: readJsonFile<KillInfo>(files.kill),
      completedEvent,
      errorEvent,
      lastLogLines: lastLines(files.output, 20),
      processGone: true,
    })!;
  }

  // ------------------------------------------------------------------ cancel, resume, delete

  async cancel(idOrPrefix: string): Promise<RunRecord> {
    const r = this.resolve(idOrPrefix);
    if (!canCancel(r.status)) throw new UserError(`Run ${r.id} is ${r.status}; only queued or running runs can be cancelled.`);
    if (r.status === 'queued') {
      this.queue.remove(r.id);
      const ended = await this.update(r.id, () => ({ status: 'cancelled', endedAt: new Date().toISOString(), outcome: { status: 'cancelled', reason: 'cancelled before it started' } }));
      this.notifyEnded(ended);
      return ended;
    }
    let entry = this.watched.get(r.id);
    if (!entry) {
      // Running in another process (a CLI run, another window): attach, then end it.
      if (!r.pid || !isSameProcessAlive(r.pid, r.processStartToken)) {
        await this.reconcile();
        return this.get(r.id)!;
      }
      this.watch(r, { stdoutOffset: this.stdoutOffsetOfAttempt(r), owned: false });
      entry = this.watched.get(r.id)!;
    }
    const done = this.waitForEnd(r.id);
    await entry.supervisor.kill('cancel');
    return done;
  }

  async resume(idOrPrefix: string): Promise<RunRecord> {
    const r = this.resolve(idOrPrefix);
    if (!canResume(r.status)) {
      throw new UserError(
        r.status === 'completed'
          ? `Run ${r.id} completed; there is nothing to resume. Start a new run to train longer.`
          : `Run ${r.id} is ${r.status}; only failed, cancelled or interrupted runs can be resumed.`,
      );
    }
    if (r.recipe === 'external') assertTrustedForExternal(this.opts.trusted);
    const queued = await this.update(r.id, () => ({ status: 'queued' as RunStatus, outcome: undefined, endedAt: undefined, owner: this.self }));
    this.queue.enqueue(r.id);
    return queued;
  }

  /** Deletes a finished run's record and its folder (only a folder inside the runs root). */
  async delete(idOrPrefix: string): Promise<void> {
    const id = this.opts.store.read((q) => resolveRunId(q, idOrPrefix));
    if (!isValidRunId(id)) {
      // A row no folder belongs to (a database changed by hand): only the row goes.
      await this.opts.store.write((tx) => deleteRunRow(tx, id), { purpose: `deleting run ${id}` });
      this.emit('removed', id);
      return;
    }
    const r = this.get(id)!;
    if (isActive(r.status)) throw new UserError(`Run ${r.id} is ${r.status}; cancel it before deleting it.`);
    await this.opts.store.write((tx) => deleteRunRow(tx, r.id), { purpose: `deleting run ${r.id}` });
    const root = path.resolve(this.opts.runsRoot);
    const dir = path.resolve(r.runDir);
    if (path.dirname(dir) === root && path.basename(dir) === r.id) fs.rmSync(dir, { recursive: true, force: true });
    else this.log(`run ${r.id}: its folder ${dir} is outside ${root}; left in place`);
    this.emit('removed', r.id);
  }

  /** The live supervisor's progress of a running run (undefined when not watched here). */
  liveProgress(id: string): RunProgress | undefined {
    const w = this.watched.get(id);
    return w ? { ...w.supervisor.progress } : undefined;
  }

  /** Process info of the current attempt, as the folder records it. */
  processInfo(id: string): ProcessInfo | undefined {
    const r = this.get(id);
    return r ? readJsonFile<ProcessInfo>(runFiles(r.runDir).process) : undefined;
  }

  /**
   * Stops watching without ending any run: they keep training and the next engine
   * re-attaches (a window reload). Progress is saved first.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.storeUnsubscribe();
    for (const [id, w] of this.watched) {
      await w.supervisor.detach();
      await this.update(id, (r) => (r.status === 'running' ? { progress: { ...r.progress, ...w.supervisor.progress } } : {})).catch(() => undefined);
    }
    this.watched.clear();
  }
}
