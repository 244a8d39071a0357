/**
 * The JSON Schema of one trace record, built from TRACE_LIMITS so the limits live in one
 * place. schemas/trace.schema.json is this object written out (a unit test keeps them
 * equal); VS Code checks single-trace `.json` files with it (`jsonValidation`), the
 * benchmark compiles it with ajv, and hovers show its descriptions.
 */
import { TRACE_LIMITS as L } from './types';

export const FIELD_DESCRIPTIONS = {
  id: 'Optional stable id of the trace. Leave it out and the store makes one.',
  trace_version: `Version of the trace format, e.g. "1.0". Required, ${L.traceVersion.min}-${L.traceVersion.max} characters.`,
  prompt: `The task the model is given. Required, ${L.prompt.min}-${L.prompt.max.toLocaleString('en-US')} characters.`,
  final_answer: `The answer the reasoning arrives at; evaluation compares predictions with it. Required, ${L.finalAnswer.min}-${L.finalAnswer.max.toLocaleString('en-US')} characters.`,
  steps: `The reasoning steps, in the order they are rendered for training. Required, ${L.steps.min}-${L.steps.max.toLocaleString('en-US')} steps.`,
  meta: 'Free-form metadata (source, category, task_type, ...). Dataset filters match on its keys. Optional; an object or null.',
  'steps[].i': 'Step index: an integer >= 0, unique within the trace. Indices need not be contiguous; the array order is the rendering order.',
  'steps[].type': `Kind of step, e.g. "process", "carry", "result". ${L.stepType.min}-${L.stepType.max} characters.`,
  'steps[].content': `The text of the step. ${L.stepContent.min}-${L.stepContent.max.toLocaleString('en-US')} characters.`,
} as const;

export type DescribedField = keyof typeof FIELD_DESCRIPTIONS;

/** The description of the field at a JSON path (["steps", 3, "i"] -> steps[].i), if any. */
export function describeField(path: Array<string | number>): string | undefined {
  if (path.length === 1 && typeof path[0] === 'string') return (FIELD_DESCRIPTIONS as Record<string, string>)[path[0]];
  if (path.length === 3 && path[0] === 'steps' && typeof path[1] === 'number' && typeof path[2] === 'string') {
    return (FIELD_DESCRIPTIONS as Record<string, string>)[`steps[].${path[2]}`];
  }
  if (path.length >= 2 && path[0] === 'meta') return 'A metadata entry; dataset filters can match on it.';
  return undefined;
}

const D = FIELD_DESCRIPTIONS;

export const TRACE_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Tunix RT reasoning trace',
  description: 'One reasoning trace: a prompt, numbered reasoning steps and a final answer (the tunix-rt trace format).',
  type: 'object',
  required: ['trace_version', 'prompt', 'final_answer', 'steps'],
  additionalProperties: false,
  properties: {
    id: { type: ['string', 'null'], minLength: 1, description: D.id },
    trace_version: { type: 'string', minLength: L.traceVersion.min, maxLength: L.traceVersion.max, description: D.trace_version },
    prompt: { type: 'string', minLength: L.prompt.min, maxLength: L.prompt.max, description: D.prompt },
    final_answer: { type: 'string', minLength: L.finalAnswer.min, maxLength: L.finalAnswer.max, description: D.final_answer },
    steps: {
      type: 'array',
      minItems: L.steps.min,
      maxItems: L.steps.max,
      description: D.steps,
      items: {
        type: 'object',
        required: ['i', 'type', 'content'],
        additionalProperties: false,
        properties: {
          i: { type: 'integer', minimum: 0, description: D['steps[].i'] },
          type: { type: 'string', minLength: L.stepType.min, maxLength: L.stepType.max, description: D['steps[].type'] },
          content: { type: 'string', minLength: L.stepContent.min, maxLength: L.stepContent.max, description: D['steps[].content'] },
        },
      },
    },
    meta: { type: ['object', 'null'], description: D.meta },
  },
} as const;
