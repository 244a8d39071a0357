// The judges by versioned name. `resolveJudge` turns a `--judge` value (or a setting) into
// a judge, with a clear error for unknown names or a name without a version.
import { UserError } from '../../errors';
import { answerCorrectnessV1 } from './answerCorrectnessV1';
import { answerCorrectnessV2 } from './answerCorrectnessV2';
import { baselineJudge } from './baselineJudge';
import { createLlmJudge, LLM_JUDGE_ID, type LlmJudgeOptions } from './llmJudge';
import type { Judge } from './types';

/** tunix-rt's judge: the default, so scores stay comparable with tunix-rt unless asked otherwise. */
export const DEFAULT_JUDGE_ID = answerCorrectnessV1.id;

export interface JudgeInfo {
  id: string;
  description: string;
  kind: Judge['kind'];
  /** True when the judge needs settings (the LLM judge's URL and model). */
  needsEndpoint: boolean;
}

const STATIC_JUDGES: Judge[] = [answerCorrectnessV1, answerCorrectnessV2, baselineJudge];

export function listJudges(): JudgeInfo[] {
  return [
    ...STATIC_JUDGES.map((j) => ({ id: j.id, description: j.description, kind: j.kind, needsEndpoint: false })),
    { id: LLM_JUDGE_ID, description: 'asks a model behind an OpenAI-compatible endpoint whether the prediction gives the reference answer', kind: 'correctness' as const, needsEndpoint: true },
  ];
}

export interface ResolveJudgeOptions {
  /** Required for llm_judge@v1. */
  llm?: LlmJudgeOptions;
}

export function resolveJudge(id: string, opts: ResolveJudgeOptions = {}): Judge {
  const known = listJudges().map((j) => j.id);
  if (id === LLM_JUDGE_ID) {
    if (!opts.llm?.url) {
      throw new UserError(`${LLM_JUDGE_ID} needs an endpoint: set tunix.eval.llmJudge.url and tunix.eval.llmJudge.model (CLI: --llm-url URL --llm-model NAME, key in TUNIX_LLM_JUDGE_API_KEY).`);
    }
    return createLlmJudge(opts.llm);
  }
  const judge = STATIC_JUDGES.find((j) => j.id === id);
  if (judge) return judge;
  const versions = known.filter((k) => k.split('@')[0] === id);
  if (versions.length) {
    throw new UserError(`Judge "${id}" needs a version, because versions score differently: use ${versions.join(' or ')}.`);
  }
  throw new UserError(`Unknown judge "${id}". Judges: ${known.join(', ')}.`);
}
