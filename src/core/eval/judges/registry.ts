// The judges by versioned name. `resolveJudge` turns a `--judge` value (or a setting) into
// a judge: a name without a version means its newest version, except for judges whose
// versions give different numbers (answer_correctness), which must be named in full.
import { UserError } from '../../errors';
import { answerCorrectnessV1 } from './answerCorrectnessV1';
import { answerCorrectnessV2 } from './answerCorrectnessV2';
import { baselineJudge } from './baselineJudge';
import { createLlmJudge, LLM_JUDGE_ID, type LlmJudgeOptions } from './llmJudge';
import type { Judge } from './types';

export { LLM_JUDGE_ID };

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

/**
 * Judges whose bare name is refused: their versions give different numbers for the same
 * predictions (v1 is tunix-rt's exact rule, v2 forgives formatting), and a score read without
 * its version would be misread. Every other bare name means its newest version.
 */
const VERSION_REQUIRED: Readonly<Record<string, string>> = {
  answer_correctness: "v1 is tunix-rt's exact rule (the default), v2 forgives formatting and compares numbers as numbers",
};

function versionNumber(id: string): number {
  const m = /@v(\d+)$/.exec(id);
  return m ? Number(m[1]) : -1;
}

/**
 * The full `name@version` a `--judge` value (or setting) stands for: a full name as it is;
 * a bare name, its newest version (`baseline` -> `baseline@v1`), except the names in
 * VERSION_REQUIRED. Throws a UserError that lists the choices for anything else.
 */
export function resolveJudgeName(name: string): string {
  const known = listJudges().map((j) => j.id);
  if (known.includes(name)) return name;
  const [base, version] = name.split('@');
  const versions = known.filter((k) => k.split('@')[0] === base).sort((a, b) => versionNumber(a) - versionNumber(b));
  if (versions.length === 0) throw new UserError(`Unknown judge "${name}". Judges: ${known.join(', ')}.`);
  if (version !== undefined) throw new UserError(`Judge ${base} has no version "${version}"; use ${versions.join(' or ')}.`);
  const why = VERSION_REQUIRED[base];
  if (why) throw new UserError(`Judge "${name}" needs a version, because its versions give different numbers for the same predictions: use ${versions.join(' or ')} (${why}).`);
  return versions[versions.length - 1];
}

export function resolveJudge(name: string, opts: ResolveJudgeOptions = {}): Judge {
  const id = resolveJudgeName(name);
  if (id === LLM_JUDGE_ID) {
    if (!opts.llm?.url) {
      throw new UserError(`${LLM_JUDGE_ID} needs an endpoint: set tunix.eval.llmJudge.url and tunix.eval.llmJudge.model (CLI: --llm-url URL --llm-model NAME, key in TUNIX_LLM_JUDGE_API_KEY).`);
    }
    return createLlmJudge(opts.llm);
  }
  const judge = STATIC_JUDGES.find((j) => j.id === id);
  if (!judge) throw new Error(`judge ${id} is listed but has no implementation`);
  return judge;
}
