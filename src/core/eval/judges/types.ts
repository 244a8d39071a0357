// The contract every judge keeps. A judge looks at one eval item and the prediction a model
// made for it and returns a verdict; the evaluation aggregates verdicts into a scorecard.
// Judges are versioned by name (`answer_correctness@v1`): a judge's behaviour never changes
// under a published name, so stored scores stay comparable. Better rules get a new version.

/** One held-out item: what the model was asked and the answer it should give. */
export interface EvalItem {
  id: string;
  prompt: string;
  expected_answer: string;
  section?: string;
  category?: string;
  difficulty?: string;
}

/** What a judge decided about one item. */
export interface ItemVerdict {
  /** 0..1; correctness judges give 0 or 1. */
  score: number;
  /** Right or wrong, for judges that decide that; null for graded judges (e.g. `baseline`). */
  correct: boolean | null;
  /** Why: normalized forms, extracted answer, sub-scores, the LLM's reasoning... (JSON). */
  details: Record<string, unknown>;
}

export interface JudgeContext {
  /** Cancels long-running judges (the LLM judge's requests). */
  signal?: AbortSignal;
}

export interface Judge {
  /** `name@version`, the key stored with every evaluation. */
  readonly id: string;
  /** One line for `--help` and pickers. */
  readonly description: string;
  /** 'correctness' judges say right/wrong; 'graded' judges give a score in [0, 1]. */
  readonly kind: 'correctness' | 'graded';
  /**
   * Judges one item. `prediction` is undefined when the predictions had nothing for this
   * item: correctness judges count that as wrong (tunix-rt's rule).
   */
  judge(item: EvalItem, prediction: string | undefined, ctx: JudgeContext): ItemVerdict | Promise<ItemVerdict>;
  /** How many items may be judged at once (network judges bound their concurrency). */
  readonly concurrency?: number;
}
