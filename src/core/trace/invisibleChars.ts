// Characters that change how text reads without being seen: bidirectional controls (an
// override makes "evil\u202Eexe.txt" display as "eviltxt.exe") and zero-width characters
// (two ids or answers that look equal but differ). Trace text comes from anywhere, so every
// view shows each one as a visible marker naming its code point, as VS Code's editor
// highlights unusual Unicode. Zero-width joiner and non-joiner are left alone: scripts such
// as Persian and Devanagari and emoji sequences need them, and they reorder nothing.

const NAMES: Record<number, string> = {
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

const INVISIBLE = /[\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text);
}

/** `U+202E`: how a marker names the character. */
export function codePointLabel(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function invisibleName(ch: string): string {
  return NAMES[ch.codePointAt(0)!] ?? 'invisible character';
}

export type TextPiece = { kind: 'text'; text: string } | { kind: 'invisible'; char: string; label: string; name: string };

/** The text cut into plain runs and the invisible characters between them (in order). */
export function splitInvisible(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  INVISIBLE.lastIndex = 0;
  for (let m = INVISIBLE.exec(text); m; m = INVISIBLE.exec(text)) {
    if (m.index > last) pieces.push({ kind: 'text', text: text.slice(last, m.index) });
    pieces.push({ kind: 'invisible', char: m[0], label: codePointLabel(m[0]), name: invisibleName(m[0]) });
    last = m.index + m[0].length;
  }
  if (last < text.length) pieces.push({ kind: 'text', text: text.slice(last) });
  return pieces;
}

/** For plain-text places (tree labels, tooltips, quick picks): each character replaced by `⟨U+202E⟩`. */
export function revealInvisible(text: string): string {
  INVISIBLE.lastIndex = 0;
  return text.replace(INVISIBLE, (ch) => `⟨${codePointLabel(ch)}⟩`);
}
