// A character-level tokenizer built from the training text, with the Gemma turn markers as
// single tokens (they would otherwise cost 15 and 13 characters each in every example).
// Saved next to the model as tokenizer.json, so generation decodes with the same vocabulary.
import { dataError } from '../errors';

export const PAD = '<pad>';
export const UNK = '<unk>';
export const START_OF_TURN = '<start_of_turn>';
export const END_OF_TURN = '<end_of_turn>';
const SPECIALS = [PAD, UNK, START_OF_TURN, END_OF_TURN] as const;
export const TOKENIZER_FORMAT = 'tunix-char-tokenizer';
/** Distinct characters kept at most (the most frequent). */
export const DEFAULT_MAX_CHARS = 1024;

export interface TokenizerJson {
  format: typeof TOKENIZER_FORMAT;
  version: 1;
  specials: string[];
  /** One entry per token id after the specials: single characters (code points). */
  chars: string[];
}

export class CharTokenizer {
  readonly padId = 0;
  readonly unkId = 1;
  readonly startOfTurnId = 2;
  readonly endOfTurnId = 3;
  private readonly ids = new Map<string, number>();

  private constructor(readonly chars: readonly string[]) {
    chars.forEach((c, i) => this.ids.set(c, SPECIALS.length + i));
  }

  /**
   * Builds the vocabulary from texts: the code points seen, in code-point order. Beyond
   * `maxChars` distinct ones only the most frequent are kept (the rest read as <unk>): the
   * embedding is a one-hot product, so its cost grows with the vocabulary.
   */
  static fromTexts(texts: Iterable<string>, maxChars = DEFAULT_MAX_CHARS): CharTokenizer {
    const counts = new Map<string, number>();
    for (const text of texts) {
      for (const piece of splitPieces(text)) {
        if (!SPECIALS.includes(piece as (typeof SPECIALS)[number])) counts.set(piece, (counts.get(piece) ?? 0) + 1);
      }
    }
    let chars = [...counts.keys()];
    if (chars.length > maxChars) chars = chars.sort((a, b) => counts.get(b)! - counts.get(a)! || a.codePointAt(0)! - b.codePointAt(0)!).slice(0, maxChars);
    return new CharTokenizer(chars.sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  static fromJson(json: unknown, where = 'tokenizer.json'): CharTokenizer {
    const j = json as Partial<TokenizerJson> | null;
    if (!j || j.format !== TOKENIZER_FORMAT || j.version !== 1 || !Array.isArray(j.chars) || JSON.stringify(j.specials) !== JSON.stringify(SPECIALS)) {
      throw dataError(`${where} is not a ${TOKENIZER_FORMAT} v1 file (format, version, specials or chars missing).`);
    }
    if (j.chars.some((c) => typeof c !== 'string' || [...c].length !== 1)) throw dataError(`${where}: every entry of chars must be one character.`);
    return new CharTokenizer(j.chars);
  }

  toJson(): TokenizerJson {
    return { format: TOKENIZER_FORMAT, version: 1, specials: [...SPECIALS], chars: [...this.chars] };
  }

  get vocabSize(): number {
    return SPECIALS.length + this.chars.length;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const piece of splitPieces(text)) {
      if (piece === START_OF_TURN) out.push(this.startOfTurnId);
      else if (piece === END_OF_TURN) out.push(this.endOfTurnId);
      else out.push(this.ids.get(piece) ?? this.unkId);
    }
    return out;
  }

  /** Decodes ids; padding is dropped, unknown ids read as <unk>. */
  decode(ids: Iterable<number>): string {
    let out = '';
    for (const id of ids) {
      if (id === this.padId) continue;
      out += id < SPECIALS.length ? SPECIALS[id] : (this.chars[id - SPECIALS.length] ?? UNK);
    }
    return out;
  }
}

/** Splits text into the turn markers and single code points. */
function* splitPieces(text: string): Generator<string> {
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) === 60 /* < */) {
      if (text.startsWith(START_OF_TURN, i)) {
        yield START_OF_TURN;
        i += START_OF_TURN.length;
        continue;
      }
      if (text.startsWith(END_OF_TURN, i)) {
        yield END_OF_TURN;
        i += END_OF_TURN.length;
        continue;
      }
    }
    const cp = text.codePointAt(i)!;
    const piece = String.fromCodePoint(cp);
    yield piece;
    i += piece.length;
  }
}
