import * as assert from 'node:assert/strict';
import { hasInvisible, revealInvisible, splitInvisible } from '../../../src/core/trace/invisibleChars';

describe('invisible characters in trace text', () => {
  it('a right-to-left override cannot disguise a name: it is cut out as a marker naming it', () => {
    const text = 'evil\u202Eexe.txt';
    assert.ok(hasInvisible(text));
    assert.deepEqual(splitInvisible(text), [
      { kind: 'text', text: 'evil' },
      { kind: 'invisible', char: '\u202E', label: 'U+202E', name: 'RIGHT-TO-LEFT OVERRIDE' },
      { kind: 'text', text: 'exe.txt' },
    ]);
    assert.equal(revealInvisible(text), 'evil⟨U+202E⟩exe.txt');
  });

  it('marks zero-width spaces, isolates, marks and the BOM; leaves joiners (scripts, emoji) and ordinary text alone', () => {
    assert.equal(revealInvisible('4\u200B2'), '4⟨U+200B⟩2');
    assert.equal(revealInvisible('\uFEFFa\u2066b\u2069\u200F'), '⟨U+FEFF⟩a⟨U+2066⟩b⟨U+2069⟩⟨U+200F⟩');
    for (const plain of ['plain ascii', 'مرحبا بالعالم', 'می\u200Cخواهم', '👨\u200D👩\u200D👧', '']) {
      assert.ok(!hasInvisible(plain), JSON.stringify(plain));
      assert.deepEqual(splitInvisible(plain), plain ? [{ kind: 'text', text: plain }] : []);
    }
    // Called again and again (the regular expression is global): the same answer every time.
    for (let k = 0; k < 3; k++) assert.ok(hasInvisible('a\u202Db'));
  });
});
