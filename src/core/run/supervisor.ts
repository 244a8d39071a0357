// Watches one attempt of a run while its process lives: follows the trainer's events
// (stdout log), its metrics and its log output; ends it when asked (cancel) or when it stops
// showing signs of life (hang); notices when it ends and decides the outcome from the run
// folder. Works the same whether this process launched the run or re-attached to it after
// a reload (then only the pid and the files are known).
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { FileTail, lastLines } from './fileTail';
import { MetricsFollower, type MetricsBatch } from './metricsSource';
import { decideOutcome } from './outcome';
import { isSameProcessAlive, killProcessTree } from './processTree';
import { readJsonFile, runFiles, writeJsonAtomic, type ExitInfo, type KillInfo, type KillReason } from './runFolder';
import { parseTrainerEvent, type TrainerEvent } from './trainerEvents';
import type { RunEnvironment, RunOutcome, RunProgress } from './types';

export interface SupervisorOptions {
  runDir: string;
  attempt: number;
  pid: number;
  startToken?: string;
  /** The launcher, when this process spawned it (exit is then known at once). */
  child?: ChildProcess;
  /** The trainer speaks the event protocol (heartbeats); external trainers may not. */
  protocol: boolean;
  /** No sign of life for this long ends the run as failed (0 = never). */
  heartbeatTimeoutMs: number;
  /** SIGTERM-to-SIGKILL grace period. */
  killGraceMs?: number;
  /** Planned steps when the trainer does not say (external trainers). */
  plannedSteps?: number;
  pollMs?: number;
  /** Start reading the stdout log here (a resumed attempt skips the earlier attempts' events). */
  stdoutOffset?: number;
}

export interface SupervisorEvents {
  progress: [RunProgress];
  environment: [RunEnvironment];
  trainerEvent: [TrainerEvent];
  metrics: [MetricsBatch];
  ended: [RunOutcome];
}

export class RunSupervisor extends EventEmitter<SupervisorEvents> {
  readonly files;
  readonly progress: RunProgress = {};
  private readonly stdoutTail: FileTail;
  private readonly metrics: MetricsFollower;
  private timer: NodeJS.Timeout | undefined;
  private completedEvent = false;
  private errorEvent: { message: string; kind?: string } | undefined;
  private lastActivity = Date.now();
  private outputSize = -1;
  private exited = false;
  private killing: Promise<void> | undefined;
  private finished: Promise<RunOutcome>;
  private resolveFinished!: (o: RunOutcome) => void;
  private rate: { step: number; at: number }[] = [];
  private checking = false;
  private finishing = false;

  constructor(private readonly opts: SupervisorOptions) {
    super();
    this.files = runFiles(opts.runDir);
    this.finished = new Promise((r) => (this.resolveFinished = r));
    this.stdoutTail = new FileTail(this.files.stdout, (lines) => this.onStdout(lines), { fromOffset: opts.stdoutOffset ?? 0 });
    this.metrics = new MetricsFollower(opts.runDir, (b) => this.onMetrics(b));
    if (opts.plannedSteps) this.progress.totalSteps = opts.plannedSteps;
    opts.child?.on('exit', () => {
      this.exited = true;
      void this.check();
    });
  }

  /** Resolves with the outcome once the process has ended and the folder says how. */
  get done(): Promise<RunOutcome> {
    return this.finished;
  }

  start(): this {
    this.lastActivity = Date.now();
    this.progress.lastActivityMs = this.lastActivity;
    this.timer = setInterval(() => void this.check(), this.opts.pollMs ?? 250);
    void this.check();
    return this;
  }

  private touch(): void {
    this.lastActivity = Date.now();
    this.progress.lastActivityMs = this.lastActivity;
  }

  private onStdout(lines: string[]): void {
    let changed = false;
    for (const line of lines) {
      const ev = parseTrainerEvent(line);
      if (!ev) continue;
      this.touch();
      this.emit('trainerEvent', ev);
      switch (ev.event) {
        case 'started': {
          const env: RunEnvironment = {};
          for (const k of ['backend', 'device', 'versions'] as const) if (ev[k] !== undefined) (env as Record<string, unknown>)[k] = ev[k];
          this.emit('environment', env);
          if (ev.total_steps) this.progress.totalSteps = ev.total_steps;
          if (ev.resumed_from_step !== undefined) {
            this.progress.resumedFromStep = ev.resumed_from_step;
            this.progress.step = ev.resumed_from_step;
          }
          changed = true;
          break;
        }
        case 'progress':
          this.noteStep(ev.step);
          if (ev.total_steps) this.progress.totalSteps = ev.total_steps;
          if (ev.loss !== undefined) this.progress.loss = ev.loss;
          this.progress.etaSeconds = ev.eta_seconds ?? this.estimateEta();
          changed = true;
          break;
        case 'eval':
          if (ev.eval_loss !== undefined) this.progress.evalLoss = ev.eval_loss;
          changed = true;
          break;
        case 'heartbeat':
          if (ev.step !== undefined && ev.step > (this.progress.step ?? -1)) {
            this.noteStep(ev.step);
            // Progress events come every log_interval steps; between them the ETA follows the heartbeats.
            this.progress.etaSeconds = this.estimateEta() ?? this.progress.etaSeconds;
            changed = true;
          }
          break;
        case 'completed':
          this.completedEvent = true;
          if (ev.step !== undefined) this.progress.step = ev.step;
          this.progress.etaSeconds = 0;
          changed = true;
          break;
        case 'error':
          this.errorEvent = { message: ev.message, kind: ev.kind };
          break;
        default:
          break;
      }
    }
    if (changed) this.emit('progress', { ...this.progress });
  }

  private onMetrics(batch: MetricsBatch): void {
    // For protocol trainers only heartbeats (events) count as life: a trainer stuck in a
    // loop that still writes something must not look alive.
    if (batch.points.length && !this.opts.protocol) this.touch();
    this.emit('metrics', batch);
    // Trainers without progress events (external ones) get their progress from the metrics.
    let changed = false;
    for (const p of batch.points) {
      if (p.values.loss !== undefined) {
        this.progress.loss = p.values.loss;
        changed = true;
      }
      if (p.values.eval_loss !== undefined) {
        this.progress.evalLoss = p.values.eval_loss;
        changed = true;
      }
      if (p.step > (this.progress.step ?? -1)) {
        this.noteStep(p.step);
        changed = true;
      }
    }
    if (batch.source === 'trainer_state.json') {
      const max = this.metrics.maxStepsFromTrainerState();
      if (max) this.progress.totalSteps = max;
    }
    if (changed) {
      this.progress.etaSeconds = this.estimateEta();
      this.emit('progress', { ...this.progress });
    }
  }

  private noteStep(step: number): void {
    this.progress.step = step;
    const now = Date.now();
    this.rate.push({ step, at: now });
    // A window of recent samples: the rate follows speed changes (eval pauses, warm-up).
    while (this.rate.length > 2 && now - this.rate[0].at > 60_000) this.rate.shift();
    if (this.rate.length > 50) this.rate.shift();
  }

  private estimateEta(): number | undefined {
    const total = this.progress.totalSteps;
    const step = this.progress.step;
    if (!total || step === undefined || this.rate.length < 2) return undefined;
    const a = this.rate[0];
    const b = this.rate[this.rate.length - 1];
    const perSecond = (b.step - a.step) / Math.max(1e-3, (b.at - a.at) / 1000);
    if (perSecond <= 0) return undefined;
    return Math.max(0, (total - step) / perSecond);
  }

  /** Any growth of the combined log counts as life (external trainers print what they like). */
  private checkOutputActivity(): void {
    if (this.opts.protocol) return;
    try {
      const size = fs.statSync(this.files.output).size;
      if (size !== this.outputSize) {
        if (this.outputSize !== -1) this.touch();
        this.outputSize = size;
      }
    } catch {
      /* not created yet */
    }
  }

  private async check(): Promise<void> {
    if (this.checking || this.finishing) return;
    this.checking = true;
    try {
      await this.stdoutTail.poll().catch(() => undefined);
      await this.metrics.poll().catch(() => undefined);
      this.checkOutputActivity();
      const alive = !this.exited && (this.opts.child ? this.opts.child.exitCode === null && this.opts.child.signalCode === null : isSameProcessAlive(this.opts.pid, this.opts.startToken));
      if (!alive) {
        await this.finish();
        return;
      }
      const timeout = this.opts.heartbeatTimeoutMs;
      if (timeout > 0 && !this.killing && Date.now() - this.lastActivity > timeout) {
        const secs = Math.round((Date.now() - this.lastActivity) / 1000);
        const what = this.opts.protocol ? 'heartbeat' : 'output, metrics or heartbeat';
        void this.kill('hang', `no ${what} for ${secs} s (the limit is ${Math.round(timeout / 1000)} s; setting tunix.training.heartbeatTimeoutSeconds): the trainer seemed hung and was ended`);
      }
    } finally {
      this.checking = false;
    }
  }

  /** Ends the process tree, recording why first so every observer reaches the same verdict. */
  kill(reason: KillReason, detail?: string): Promise<void> {
    if (!this.killing) {
      const info: KillInfo = { attempt: this.opts.attempt, reason, at: new Date().toISOString(), ...(detail ? { detail } : {}) };
      writeJsonAtomic(this.files.kill, info);
      this.killing = killProcessTree(this.opts.pid, { graceMs: this.opts.killGraceMs ?? 3000 }).then(() => this.check());
    }
    return this.killing;
  }

  private async finish(): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // A launcher writes exit.json just before it exits; give the file system a moment.
    let exit = readJsonFile<ExitInfo>(this.files.exit);
    for (let i = 0; i < 10 && (!exit || exit.attempt !== this.opts.attempt); i++) {
      await new Promise((r) => setTimeout(r, 50));
      exit = readJsonFile<ExitInfo>(this.files.exit);
    }
    await this.stdoutTail.stop();
    await this.metrics.stop();
    const outcome = decideOutcome({
      attempt: this.opts.attempt,
      exit,
      kill: readJsonFile<KillInfo>(this.files.kill),
      completedEvent: this.completedEvent,
      errorEvent: this.errorEvent,
      lastLogLines: lastLines(this.files.output, 20),
      processGone: true,
    })!;
    this.emit('ended', outcome);
    this.resolveFinished(outcome);
  }

  /** Stops watching without touching the process (the window is closing; the run goes on). */
  async detach(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
