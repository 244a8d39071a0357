/**
 * tunix-rt's deterministic "baseline" trace score (0-100), kept bit-for-bit so scores stay
 * comparable with data scored by tunix-rt: step_score = min(steps/10, 1) * 50 rewards up to
 * ten steps, length_score = min(avg_step_chars/500, 1) * 50 rewards steps of up to 500
 * characters; the total and the parts are rounded to 2 decimals.
 */
import type { TraceRecord } from './types';

export interface BaselineScoreDetails {
  step_count: number;
  avg_step_length: number;
  total_chars: number;
  step_score: number;
  length_score: number;
  criteria: 'baseline';
}

export interface BaselineScore {
  score: number;
  criteria: 'baseline';
  details: BaselineScoreDetails;
}

/**
 * Python's round(x, 2): the decimal nearest the exact binary value of x (which toFixed
 * computes), with exact halves going to the even neighbour (toFixed would go up). A double
 * is exactly halfway between two hundredths only when x * 8 is an odd integer
 * (x = k + 0.125, 0.375, 0.625 or 0.875); x * 8 is exact in binary.
 */
function round2(x: number): number {
  const eighths = x * 8;
  if (Number.isInteger(eighths) && eighths % 2 !== 0) {
    const floor = Math.floor(x * 100);
    return (floor % 2 === 0 ? floor : floor + 1) / 100;
  }
  return Number(x.toFixed(2));
}

/** Length in code points, as Python's len() counts. */
function chars(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function baselineScore(record: Pick<TraceRecord, 'steps'>): BaselineScore {
  const stepCount = record.steps.length;
  const totalChars = record.steps.reduce((sum, s) => sum + chars(s.content), 0);
  // tunix-rt requires at least one step; an empty list scores 0 rather than dividing by zero.
  const avg = stepCount ? totalChars / stepCount : 0;
  const stepScore = Math.min(stepCount / 10, 1) * 50;
  const lengthScore = Math.min(avg / 500, 1) * 50;
  return {
    score: round2(stepScore + lengthScore),
    criteria: 'baseline',
    details: {
      step_count: stepCount,
      avg_step_length: round2(avg),
      total_chars: totalChars,
      step_score: round2(stepScore),
      length_score: round2(lengthScore),
      criteria: 'baseline',
    },
  };
}
