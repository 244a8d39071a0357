// `baseline@v1`: tunix-rt's trace-structure score applied to what a model generated. The
// prediction is read as the training template's model turn ("Reasoning:\n1. ...\n2. ...\n
// Answer: X"); its numbered lines are the steps. The score says nothing about the answer
// being right: it rewards 1-10 steps and steps of 100-500 characters, as tunix-rt did, and
// is reported in [0, 1] (tunix-rt's 0-100 divided by 100).
import type { Judge } from './types';
import { baselineScore } from '../../trace/score';

/** The numbered reasoning lines of a generated answer ("1. ...", "2) ..."). */
export function stepsOfPrediction(prediction: string): string[] {
  const cut = prediction.search(/\banswer\s*:/i);
  const body = cut >= 0 ? prediction.slice(0, cut) : prediction;
  const steps: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const m = /^\s*\d+[.)]\s+(.*\S)\s*$/.exec(line);
    if (m) steps.push(m[1]);
  }
  return steps;
}

export const baselineJudge: Judge = {
  id: 'baseline@v1',
  description: "tunix-rt's trace-structure score of the generated reasoning (step count and step length), 0-1; not correctness",
  kind: 'graded',
  judge(_item, prediction) {
    if (prediction === undefined) return { score: 0, correct: null, details: { reason: 'no prediction for this item' } };
    const steps = stepsOfPrediction(prediction);
    if (steps.length === 0) return { score: 0, correct: null, details: { reason: 'no numbered reasoning steps in the prediction', step_count: 0 } };
    const { score, details } = baselineScore({ steps: steps.map((content, i) => ({ i, type: 'step', content })) });
    return { score: score / 100, correct: null, details: { ...details, baseline_score: score } };
  },
};
