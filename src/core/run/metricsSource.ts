// Where a run folder keeps its metrics and how to follow them as they grow: metrics.jsonl
// (the built-in trainer, tunix-rt's JAX and PyTorch scripts) or a Hugging Face
// trainer_state.json (at the top of the output folder, or in its newest checkpoint-N/).
// Used by the engine (progress) and by the metrics panel (charts), for live and finished runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileTail } from './fileTail';
import { parseMetricsLines, parseTrainerState, type MetricPoint, type SkippedLine } from './metricsReader';
import { runFiles } from './runFolder';

/** The trainer_state.json to read: the top-level one, else the newest checkpoint's. */
export function findTrainerState(runDir: string): string | undefined {
  const top = runFiles(runDir).trainerState;
  let best: { file: string; mtime: number } | undefined;
  const consider = (file: string) => {
    try {
      const mtime = fs.statSync(file).mtimeMs;
      if (!best || mtime > best.mtime) best = { file, mtime };
    } catch {
      /* not there */
    }
  };
  consider(top);
  for (const dir of [runDir, path.join(runDir, 'checkpoints')]) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).filter((n) => /^checkpoint-\d+$/.test(n));
    } catch {
      continue;
    }
    for (const n of names) consider(path.join(dir, n, 'trainer_state.json'));
  }
  return best?.file;
}

export interface MetricsBatch {
  points: MetricPoint[];
  skipped: SkippedLine[];
  /** True when the source was rewritten from the start (the points replace what came before). */
  reset: boolean;
  source: 'metrics.jsonl' | 'trainer_state.json';
}

/** Reads everything a run folder holds now (finished runs, the first paint of a panel). */
export async function readRunMetrics(runDir: string): Promise<MetricsBatch> {
  const batches: MetricsBatch[] = [];
  const follower = new MetricsFollower(runDir, (b) => batches.push(b));
  await follower.poll();
  const points = batches.flatMap((b) => b.points);
  return { points, skipped: batches.flatMap((b) => b.skipped), reset: true, source: batches[0]?.source ?? 'metrics.jsonl' };
}

/**
 * Follows a run folder's metrics: new lines of metrics.jsonl as they are appended; for
 * trainer_state.json (rewritten whole by Hugging Face), the log_history entries past the
 * last one delivered. metrics.jsonl wins when both exist.
 */
export class MetricsFollower {
  private readonly tail: FileTail;
  private lineNumber = 1;
  private stateFile: { file: string; mtime: number; size: number; delivered: number } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly runDir: string,
    private readonly onBatch: (batch: MetricsBatch) => void,
    private readonly intervalMs = 500,
  ) {
    this.tail = new FileTail(runFiles(runDir).metrics, (lines, info) => {
      if (info.truncated) this.lineNumber = 1;
      const parsed = parseMetricsLines(lines, this.lineNumber);
      this.lineNumber += lines.length;
      this.onBatch({ ...parsed, reset: info.truncated, source: 'metrics.jsonl' });
    });
  }

  async poll(): Promise<void> {
    await this.tail.poll();
    if (this.tail.offset > 0) return; // metrics.jsonl exists: it is the source.
    this.pollTrainerState();
  }

  private pollTrainerState(): void {
    const file = findTrainerState(this.runDir);
    if (!file) return;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    const prev = this.stateFile;
    if (prev && prev.file === file && prev.mtime === stat.mtimeMs && prev.size === stat.size) return;
    let points: MetricPoint[];
    try {
      points = parseTrainerState(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      // Caught mid-rewrite or not a Trainer state: report it once per version of the file.
      this.stateFile = { file, mtime: stat.mtimeMs, size: stat.size, delivered: prev?.delivered ?? 0 };
      this.onBatch({ points: [], skipped: [{ line: 0, reason: (err as Error).message }], reset: false, source: 'trainer_state.json' });
      return;
    }
    const delivered = prev?.delivered ?? 0;
    const reset = points.length < delivered;
    const fresh = reset ? points : points.slice(delivered);
    this.stateFile = { file, mtime: stat.mtimeMs, size: stat.size, delivered: points.length };
    if (fresh.length || reset) this.onBatch({ points: fresh, skipped: [], reset, source: 'trainer_state.json' });
  }

  /** Hugging Face's planned step count, when a trainer_state.json says. */
  maxStepsFromTrainerState(): number | undefined {
    const file = this.stateFile?.file;
    if (!file) return undefined;
    try {
      const v = (JSON.parse(fs.readFileSync(file, 'utf8')) as { max_steps?: unknown }).max_steps;
      return typeof v === 'number' && v > 0 ? v : undefined;
    } catch {
      return undefined;
    }
  }

  start(): this {
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll().catch(() => undefined), this.intervalMs);
      this.timer.unref?.();
    }
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.poll().catch(() => undefined);
  }
}
