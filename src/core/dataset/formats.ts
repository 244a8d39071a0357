/**
 * The dataset export formats, one JSON object per line (see docs/architecture.md, "Dataset export formats"):
 *   trace, tunix_sft, training_example   exactly as tunix-rt wrote them
 *   messages                             chat fine-tuning (user / assistant turns)
 *   eval_items                           {id, prompt, expected_answer, section?, category?, difficulty?}
 * Lines are serialized like Python's json.dumps (pyJson), as tunix-rt's were.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors';
import { renderModelTurn, renderTunixSft } from '../trace/render';
import type { TraceRecord } from '../trace/types';
import { pyJson } from './pyJson';

export const EXPORT_FORMATS = ['trace', 'tunix_sft', 'training_example', 'messages', 'eval_items'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_SUMMARIES: Record<ExportFormat, string> = {
  trace: 'tunix-rt raw traces: {id, prompts, trace_steps, final_answer, metadata}',
  tunix_sft: 'tunix-rt SFT text in the Gemma chat template: {id, prompts, final_answer, metadata}',
  training_example: 'tunix-rt prompt/response pairs: {id, prompt, response, metadata}',
  messages: 'chat fine-tuning: {id, messages: [user, assistant], metadata}',
  eval_items: 'evaluation items: {id, prompt, expected_answer, section?, category?, difficulty?}',
};

export function parseExportFormat(value: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new UserError(`Unknown export format "${value}". Formats: ${EXPORT_FORMATS.join(', ')}.`);
}

/** A stored trace as an export needs it. */
export interface ExportTrace {
  id: string;
  /** When the trace was stored, ISO 8601 (metadata.created_at). */
  createdAt: string;
  record: TraceRecord;
}

export interface FormatOptions {
  /**
   * The id of a training_example line (tunix-rt gave each a new uuid). By default it is a
   * uuid derived from `idNamespace` and the trace id, so re-exporting gives identical files.
   */
  exampleId?: (traceId: string) => string;
  /** Namespace for the derived example ids (the dataset's build id). */
  idNamespace?: string;
}

export const TRAINING_EXAMPLE_INSTRUCTION = '\n\nPlease show your reasoning steps.';

function baseMetadata(t: ExportTrace): Record<string, unknown> {
  // tunix-rt: {created_at, trace_version, [format], **meta}: meta keys spread last, so a meta
  // key of the same name replaces the value but keeps its place (as in a Python dict).
  return { created_at: t.createdAt, trace_version: t.record.trace_version, ...(t.record.meta ?? {}) };
}

/** A version-5-style uuid from sha1(namespace + name): unique per (dataset, trace), reproducible. */
export function derivedUuid(namespace: string, name: string): string {
  const h = createHash('sha1').update(`${namespace}\u0000${name}`, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The object of one export line (before serialization). */
export function exportObject(format: ExportFormat, t: ExportTrace, options: FormatOptions = {}): Record<string, unknown> {
  const r = t.record;
  switch (format) {
    case 'trace':
      return { id: t.id, prompts: r.prompt, trace_steps: r.steps.map((s) => s.content), final_answer: r.final_answer, metadata: baseMetadata(t) };
    case 'tunix_sft': {
      // Python builds {created_at, trace_version, format, **meta}: format sits third.
      const meta = { created_at: t.createdAt, trace_version: r.trace_version, format: 'tunix_sft', ...(r.meta ?? {}) };
      return { id: t.id, prompts: renderTunixSft(r), final_answer: r.final_answer, metadata: meta };
    }
    case 'training_example': {
      const id = options.exampleId ? options.exampleId(t.id) : derivedUuid(options.idNamespace ?? 'tunix-rt', t.id);
      return {
        id,
        prompt: r.prompt + TRAINING_EXAMPLE_INSTRUCTION,
        response: renderModelTurn(r),
        metadata: { source_trace_id: t.id, created_at: t.createdAt, trace_version: r.trace_version, ...(r.meta ?? {}) },
      };
    }
    case 'messages':
      return {
        id: t.id,
        messages: [
          { role: 'user', content: r.prompt },
          { role: 'assistant', content: renderModelTurn(r) },
        ],
        metadata: { created_at: t.createdAt, trace_version: r.trace_version, format: 'messages', ...(r.meta ?? {}) },
      };
    case 'eval_items': {
      const item: Record<string, unknown> = { id: t.id, prompt: r.prompt, expected_answer: r.final_answer };
      for (const key of ['section', 'category', 'difficulty'] as const) {
        const v = r.meta?.[key];
        if (typeof v === 'string' && v !== '') item[key] = v;
      }
      return item;
    }
  }
}

/** One export line, newline included. */
export function exportLine(format: ExportFormat, t: ExportTrace, options: FormatOptions = {}): string {
  return pyJson(exportObject(format, t, options)) + '\n';
}
