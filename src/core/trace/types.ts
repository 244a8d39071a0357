// The trace record of tunix-rt (see docs/architecture.md, "File formats"): one JSON object per JSONL line.

export interface TraceStep {
  /** Integer >= 0, unique within the trace; need not be contiguous. */
  i: number;
  /** 1-64 chars, e.g. "process", "result", "carry". */
  type: string;
  /** 1-20,000 chars. */
  content: string;
}

export interface TraceRecord {
  /** Optional stable id; the store generates one when absent. */
  id?: string;
  /** 1-64 chars. */
  trace_version: string;
  /** 1-50,000 chars. */
  prompt: string;
  /** 1-50,000 chars. */
  final_answer: string;
  /** 1-1,000 steps. */
  steps: TraceStep[];
  /** Free-form; dataset filters match on its keys (source, category, task_type, ...). */
  meta?: Record<string, unknown> | null;
}

/** The limits of the schema, shared by the validator, the JSON schema and the docs. */
export const TRACE_LIMITS = {
  traceVersion: { min: 1, max: 64 },
  prompt: { min: 1, max: 50_000 },
  finalAnswer: { min: 1, max: 50_000 },
  steps: { min: 1, max: 1_000 },
  stepType: { min: 1, max: 64 },
  stepContent: { min: 1, max: 20_000 },
} as const;
