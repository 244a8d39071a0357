/**
 * Renders a trace as tunix-rt's `tunix_sft` training text, the Gemma chat template:
 *   <start_of_turn>user\n{prompt}<end_of_turn>\n<start_of_turn>model\n
 *   Reasoning:\n1. {step}\n2. {step}\nAnswer: {final_answer}<end_of_turn>
 * Steps are numbered 1..n in stored (array) order, not by their `i`; with no steps the model
 * turn is just `Answer: {final_answer}`.
 */
import type { TraceRecord } from './types';

export function renderTunixSft(record: Pick<TraceRecord, 'prompt' | 'steps' | 'final_answer'>): string {
  return `<start_of_turn>user\n${record.prompt}<end_of_turn>\n<start_of_turn>model\n${renderModelTurn(record)}<end_of_turn>`;
}

/** The model turn without the template tokens: "Reasoning:\n1. ...\nAnswer: X" (also the training_example response). */
export function renderModelTurn(record: Pick<TraceRecord, 'steps' | 'final_answer'>): string {
  if (record.steps.length === 0) return `Answer: ${record.final_answer}`;
  const lines = record.steps.map((s, k) => `${k + 1}. ${s.content}`);
  return `Reasoning:\n${lines.join('\n')}\nAnswer: ${record.final_answer}`;
}
