// "High Card Duel" (tunix-rt's card game, card names like "AS", "TD", "7H"): each player holds
// 1-3 cards from one deck; the highest rank wins, ties go to the next card down, suits never
// count. The steps name every card and its rank value, so the answer follows from them.
import type { Difficulty, TaskGenerator } from '../types';

export const RANKS = ['2', '3', '4', '5', '6', '7', '8', '9', 'T', 'J', 'Q', 'K', 'A'] as const;
export const SUITS = ['S', 'H', 'D', 'C'] as const;
const DECK = RANKS.flatMap((r) => SUITS.map((s) => r + s));
const HAND_SIZE: Record<Difficulty, number> = { easy: 1, medium: 2, hard: 3 };

/** A card's rank value: 2..10, J=11, Q=12, K=13, A=14. */
export function rankValue(card: string): number {
  return RANKS.indexOf(card[0] as (typeof RANKS)[number]) + 2;
}

function describe(cards: string[]): string {
  return cards.map((c) => `${c}=${rankValue(c)}`).join(', ');
}

export const highCardTask: TaskGenerator = {
  name: 'high_card',
  category: 'game',
  summary: 'High Card Duel: win, lose or tie from the cards held',
  generate(rng, difficulty) {
    const size = HAND_SIZE[difficulty];
    const dealt = rng.shuffled(DECK).slice(0, 2 * size);
    const byRank = (a: string, b: string) => rankValue(b) - rankValue(a);
    const mine = dealt.slice(0, size);
    const theirs = dealt.slice(size);
    const mySorted = mine.slice().sort(byRank);
    const theirSorted = theirs.slice().sort(byRank);
    const walk: string[] = [];
    let outcome: 'win' | 'lose' | 'tie' = 'tie';
    for (let i = 0; i < size; i++) {
      const a = rankValue(mySorted[i]);
      const b = rankValue(theirSorted[i]);
      walk.push(`${a}${a === b ? '=' : a > b ? '>' : '<'}${b}`);
      if (a !== b) {
        outcome = a > b ? 'win' : 'lose';
        break;
      }
    }
    const list = (cards: string[]) => (cards.length === 1 ? cards[0] : `${cards.slice(0, -1).join(', ')} and ${cards.at(-1)}`);
    const rules =
      size === 1
        ? 'The higher rank wins (A high, suits do not count).'
        : 'Compare the highest ranks; if equal, compare the next highest (A high, suits do not count).';
    return {
      prompt: `High Card Duel: you hold ${list(mine)}; your opponent holds ${list(theirs)}. ${rules} Do you win, lose or tie?`,
      steps: [
        { type: 'observation', content: `Your cards high to low: ${describe(mySorted)}` },
        { type: 'observation', content: `Opponent's cards high to low: ${describe(theirSorted)}` },
        { type: 'compare', content: `Compare: ${walk.join(', ')}` },
        { type: 'result', content: `Result: ${outcome}` },
      ],
      finalAnswer: outcome,
      meta: { game: 'high_card_duel' },
    };
  },
};
