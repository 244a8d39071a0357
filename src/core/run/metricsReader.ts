// Reads training metrics in every shape a run folder can hold and normalizes them to one
// point type: tunix-rt's JAX lines {step, epoch, loss, timestamp, device}, its PyTorch lines
// {step, loss, timestamp, metrics: {...}}, the built-in trainer's lines (loss, learning_rate,
// grad_norm, throughput, memory; eval lines with eval_loss) and Hugging Face
// trainer_state.json `log_history`.

/** One normalized metrics record. */
export interface MetricPoint {
  step: number;
  /** Wall-clock time in ms since the Unix epoch, when the source says. */
  time?: number;
  epoch?: number;
  /** Numeric values by canonical name (loss, eval_loss, learning_rate, ...). */
  values: Record<string, number>;
}

/** Canonical names for the spellings trainers use. */
const ALIASES: Record<string, string> = {
  lr: 'learning_rate',
  'train/loss': 'loss',
  train_loss_step: 'loss',
  'eval/loss': 'eval_loss',
  val_loss: 'eval_loss',
  validation_loss: 'eval_loss',
  'train/learning_rate': 'learning_rate',
  'train/grad_norm': 'grad_norm',
  tokens_per_sec: 'tokens_per_second',
  samples_per_second: 'examples_per_second',
};

/** Keys that are the point's coordinates or labels, never series. */
const NON_SERIES = new Set(['step', 'global_step', 'epoch', 'timestamp', 'time', 'device', 'event', 'type', 'run_id']);

/**
 * Turns a timestamp into ms since the epoch: ISO 8601 strings; numbers in seconds (tunix-rt,
 * Python's time.time()) or milliseconds (Date.now()), told apart by magnitude.
 */
export function parseTimestamp(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v < 1e11 ? v * 1000 : v;
  if (typeof v === 'string' && v.length >= 10) {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}

function addValue(values: Record<string, number>, key: string, v: unknown, prefix = '', nested = false): void {
  if (typeof v === 'number') {
    if (v === v && v !== Infinity && v !== -Infinity) {
      const name = prefix ? prefix + key : key;
      values[ALIASES[name] ?? name] = v;
    }
  } else if (!nested && v !== null && typeof v === 'object' && !Array.isArray(v)) {
    // One level of nesting: tunix-rt's PyTorch `metrics: {...}` spreads without a prefix;
    // anything else (the built-in trainer's `memory: {rss, heap_used}`) keeps its parent name.
    const inner = v as Record<string, unknown>;
    const innerPrefix = key === 'metrics' ? '' : `${key}.`;
    for (const k in inner) addValue(values, k, inner[k], innerPrefix, true);
  }
}

/** Normalizes one parsed record; undefined when it has no usable step. */
export function normalizeMetricRecord(record: unknown): MetricPoint | undefined {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const o = record as Record<string, unknown>;
  const rawStep = o.step ?? o.global_step;
  if (typeof rawStep !== 'number' || !Number.isFinite(rawStep) || rawStep < 0) return undefined;
  const values: Record<string, number> = {};
  // for...in, not Object.entries: this runs once per metrics line (a million lines = seconds).
  for (const k in o) {
    if (!NON_SERIES.has(k)) addValue(values, k, o[k]);
  }
  const point: MetricPoint = { step: rawStep, values };
  const time = parseTimestamp(o.timestamp ?? o.time);
  if (time !== undefined) point.time = time;
  if (typeof o.epoch === 'number' && Number.isFinite(o.epoch)) point.epoch = o.epoch;
  return point;
}

export interface SkippedLine {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

export interface ParsedMetrics {
  points: MetricPoint[];
  skipped: SkippedLine[];
}

/**
 * Parses metrics.jsonl lines. A bad line is skipped with its line number and why (a
 * half-written last line while the trainer is still writing is the usual case).
 */
export function parseMetricsLines(lines: readonly string[], firstLineNumber = 1): ParsedMetrics {
  const points: MetricPoint[] = [];
  const skipped: SkippedLine[] = [];
  lines.forEach((raw, i) => {
    const text = raw.trim();
    if (!text) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      skipped.push({ line: firstLineNumber + i, reason: `not JSON (${(err as Error).message})` });
      return;
    }
    const point = normalizeMetricRecord(value);
    if (point) points.push(point);
    else skipped.push({ line: firstLineNumber + i, reason: 'no numeric "step" field' });
  });
  return { points, skipped };
}

/**
 * Reads a Hugging Face trainer_state.json: its `log_history` entries become points (train
 * entries carry loss/learning_rate/grad_norm, eval entries eval_*; the last summary entry
 * train_loss/train_runtime). Throws with the reason when the file is not that shape.
 */
export function parseTrainerState(text: string): MetricPoint[] {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (err) {
    throw new Error(`trainer_state.json is not valid JSON: ${(err as Error).message}`);
  }
  const history = (state as { log_history?: unknown })?.log_history;
  if (!Array.isArray(history)) throw new Error('trainer_state.json has no "log_history" array (is it a Hugging Face Trainer state file?)');
  const points: MetricPoint[] = [];
  for (const entry of history) {
    const p = normalizeMetricRecord(entry);
    if (p && Object.keys(p.values).length) points.push(p);
  }
  return points;
}

/** Which series a set of points holds, in a stable, readable order (loss first). */
export function seriesNames(points: readonly MetricPoint[]): string[] {
  const names = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.values)) names.add(k);
  const preferred = ['loss', 'eval_loss', 'learning_rate', 'grad_norm', 'tokens_per_second', 'examples_per_second'];
  return [...preferred.filter((n) => names.has(n)), ...[...names].filter((n) => !preferred.includes(n)).sort()];
}
