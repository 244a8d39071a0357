// Reading our own dataset export formats back as traces (docs/architecture.md, "Dataset export formats"):
//   trace:            {id, prompts, trace_steps: [content...], final_answer, metadata}
//   messages:         {id, messages: [{role:user}, {role:assistant, content: "Reasoning:\n1. ...\nAnswer: X"}], metadata}
//   training_example: {id, prompt: "<prompt>\n\nPlease show your reasoning steps.", response: "Reasoning:...", metadata}
//   tunix_sft:        {id, prompts: "<start_of_turn>user\n...<end_of_turn>\n<start_of_turn>model\n...<end_of_turn>", final_answer, metadata}
// Step types and indices are not exported; steps come back numbered from 0 with type "step".
// `metadata` becomes `meta` without the keys the export added (created_at, trace_version, format).
import type { TraceRecord } from '../trace/types';

export type ExportFormatName = 'trace' | 'messages' | 'training_example' | 'tunix_sft';

export interface Converted {
  format: ExportFormatName;
  /** The record, still to be validated like any other. */
  value: Record<string, unknown>;
}

const INSTRUCTION = '\n\nPlease show your reasoning steps.';
const ADDED_KEYS = new Set(['created_at', 'trace_version', 'format']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function metaOf(metadata: unknown, drop: string[] = []): Record<string, unknown> | null {
  if (!isObject(metadata)) return null;
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) if (!ADDED_KEYS.has(k) && !drop.includes(k)) meta[k] = v;
  return Object.keys(meta).length ? meta : null;
}

function versionOf(metadata: unknown): string {
  return isObject(metadata) && typeof metadata.trace_version === 'string' && metadata.trace_version ? metadata.trace_version : '1.0';
}

function steps(contents: unknown[]): unknown[] {
  return contents.map((content, i) => ({ i, type: 'step', content }));
}

/**
 * Splits a rendered model turn ("Reasoning:\n1. a\n2. b\nAnswer: X") into step contents and
 * the answer. When the answer is known (tunix_sft keeps final_answer beside the text) the
 * split uses it, so an answer that itself contains "Answer: " still comes back whole.
 */
export function parseModelTurn(text: string, knownAnswer?: string): { steps: string[]; answer: string } | undefined {
  const suffix = knownAnswer === undefined ? undefined : `Answer: ${knownAnswer}`;
  const answerAt = suffix !== undefined && text.endsWith(suffix) ? text.length - suffix.length : text.lastIndexOf('Answer: ');
  if (answerAt < 0) return undefined;
  const answer = text.slice(answerAt + 'Answer: '.length);
  const head = text.slice(0, answerAt);
  if (head === '') return { steps: [], answer };
  if (!head.startsWith('Reasoning:\n')) return undefined;
  const body = head.slice('Reasoning:\n'.length).replace(/\n$/, '');
  // Steps are "N. content" lines; a content may itself span lines, so split on the next number only.
  const out: string[] = [];
  let n = 1;
  let rest = body;
  if (!rest.startsWith('1. ')) return undefined;
  rest = rest.slice(3);
  for (;;) {
    const marker = `\n${n + 1}. `;
    const at = rest.indexOf(marker);
    if (at < 0) {
      out.push(rest);
      break;
    }
    out.push(rest.slice(0, at));
    rest = rest.slice(at + marker.length);
    n++;
  }
  return { steps: out, answer };
}

/** Recognises an export-format object and converts it to a trace-shaped value; undefined when it is not one. */
export function fromExportFormat(v: unknown): Converted | undefined {
  if (!isObject(v) || 'steps' in v) return undefined;
  const id = typeof v.id === 'string' ? { id: v.id } : {};
  if (Array.isArray(v.trace_steps) && 'prompts' in v) {
    return { format: 'trace', value: { ...id, trace_version: versionOf(v.metadata), prompt: v.prompts, final_answer: v.final_answer, steps: steps(v.trace_steps), meta: metaOf(v.metadata) } };
  }
  if (typeof v.prompts === 'string' && v.prompts.startsWith('<start_of_turn>user\n')) {
    const m = /^<start_of_turn>user\n([\s\S]*)<end_of_turn>\n<start_of_turn>model\n([\s\S]*)<end_of_turn>$/.exec(v.prompts);
    const turn = m && parseModelTurn(m[2], typeof v.final_answer === 'string' ? v.final_answer : undefined);
    if (!m || !turn) return undefined;
    return { format: 'tunix_sft', value: { ...id, trace_version: versionOf(v.metadata), prompt: m[1], final_answer: turn.answer, steps: steps(turn.steps), meta: metaOf(v.metadata) } };
  }
  if (Array.isArray(v.messages)) {
    const user = v.messages.find((m) => isObject(m) && m.role === 'user') as Record<string, unknown> | undefined;
    const assistant = v.messages.find((m) => isObject(m) && m.role === 'assistant') as Record<string, unknown> | undefined;
    const turn = typeof assistant?.content === 'string' ? parseModelTurn(assistant.content) : undefined;
    if (!user || !turn) return undefined;
    return { format: 'messages', value: { ...id, trace_version: versionOf(v.metadata), prompt: user.content, final_answer: turn.answer, steps: steps(turn.steps), meta: metaOf(v.metadata) } };
  }
  if (typeof v.prompt === 'string' && typeof v.response === 'string') {
    const turn = parseModelTurn(v.response);
    if (!turn) return undefined;
    const prompt = v.prompt.endsWith(INSTRUCTION) ? v.prompt.slice(0, -INSTRUCTION.length) : v.prompt;
    // The example's own id is a fresh uuid; the trace it came from is metadata.source_trace_id.
    const sourceId = isObject(v.metadata) && typeof v.metadata.source_trace_id === 'string' ? { id: v.metadata.source_trace_id } : {};
    return { format: 'training_example', value: { ...sourceId, trace_version: versionOf(v.metadata), prompt, final_answer: turn.answer, steps: steps(turn.steps), meta: metaOf(v.metadata, ['source_trace_id']) } };
  }
  return undefined;
}

/** A cheap test on the raw line before parsing it a second time: only lines with these keys can be exports. */
export function mightBeExport(text: string): boolean {
  return text.includes('"trace_steps"') || text.includes('"prompts"') || text.includes('"messages"') || text.includes('"response"');
}

export type { TraceRecord };
