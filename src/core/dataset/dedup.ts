/**
 * Deduplication for a dataset build: exact (same content hash: prompt, steps and answer)
 * and, optionally, near duplicates (the same prompt once case, whitespace and punctuation
 * are normalized: the same question with other reasoning). The first trace in selection
 * order is kept; the others are reported with the id they duplicate.
 */
export type DedupMode = 'none' | 'exact' | 'near';
export const DEDUP_MODES: readonly DedupMode[] = ['none', 'exact', 'near'];

export interface DedupCandidate {
  id: string;
  contentHash: string;
  prompt: string;
}

export interface DroppedDuplicate {
  id: string;
  duplicate_of: string;
  reason: 'exact' | 'near';
}

/**
 * The near-duplicate key of a prompt: Unicode-normalized (NFKC), lowercase, curly quotes made
 * straight, whitespace collapsed and dropped next to punctuation and symbols ("2 + 3" and
 * "2+3" are one question), final . ? ! removed. Operators and digits are kept: "2+3" and
 * "2-3" are different questions.
 */
export function normalizePrompt(prompt: string): string {
  return prompt
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .replace(/ ?([\p{P}\p{S}]) ?/gu, '$1')
    .trim()
    .replace(/[.?!]+$/u, '');
}

/** Incremental deduplication: offer candidates in selection order; the first of each kind is kept. */
export class Deduper {
  private readonly byHash = new Map<string, string>();
  private readonly byPrompt = new Map<string, string>();
  constructor(readonly mode: DedupMode) {}

  /** Undefined when the candidate is kept; else why it is dropped. */
  offer(item: DedupCandidate): DroppedDuplicate | undefined {
    if (this.mode === 'none') return undefined;
    const sameContent = this.byHash.get(item.contentHash);
    if (sameContent !== undefined) return { id: item.id, duplicate_of: sameContent, reason: 'exact' };
    if (this.mode === 'near') {
      const key = normalizePrompt(item.prompt);
      const samePrompt = this.byPrompt.get(key);
      if (samePrompt !== undefined) return { id: item.id, duplicate_of: samePrompt, reason: 'near' };
      this.byPrompt.set(key, item.id);
    }
    this.byHash.set(item.contentHash, item.id);
    return undefined;
  }
}

export function dedup<T extends DedupCandidate>(items: readonly T[], mode: DedupMode): { kept: T[]; dropped: DroppedDuplicate[] } {
  const d = new Deduper(mode);
  const kept: T[] = [];
  const dropped: DroppedDuplicate[] = [];
  for (const item of items) {
    const why = d.offer(item);
    if (why) dropped.push(why);
    else kept.push(item);
  }
  return { kept, dropped };
}
