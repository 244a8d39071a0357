import * as assert from 'node:assert/strict';
import { CharTokenizer, END_OF_TURN, START_OF_TURN } from '../../../src/trainer/data/tokenizer';
import { TrainerError } from '../../../src/trainer/errors';

describe('trainer: character tokenizer', () => {
  const text = `${START_OF_TURN}user\nWhat is 12 + 9? Ünïcödé 🙂${END_OF_TURN}\n${START_OF_TURN}model\nAnswer: 21${END_OF_TURN}`;

  it('round-trips text, with the Gemma turn markers as single tokens', () => {
    const tok = CharTokenizer.fromTexts([text]);
    const ids = tok.encode(text);
    assert.equal(tok.decode(ids), text);
    assert.equal(ids.filter((i) => i === tok.startOfTurnId).length, 2);
    assert.equal(ids.filter((i) => i === tok.endOfTurnId).length, 2);
    // Markers are one token each, the emoji (two UTF-16 units) is one token too.
    assert.equal(ids.length, [...text.replaceAll(START_OF_TURN, 'S').replaceAll(END_OF_TURN, 'E')].length);
  });

  it('survives saving and loading, with the same ids', () => {
    const tok = CharTokenizer.fromTexts([text]);
    const again = CharTokenizer.fromJson(JSON.parse(JSON.stringify(tok.toJson())));
    assert.deepEqual(again.encode(text), tok.encode(text));
    assert.equal(again.vocabSize, tok.vocabSize);
  });

  it('maps characters it never saw to <unk> and drops padding when decoding', () => {
    const tok = CharTokenizer.fromTexts(['abc']);
    const ids = tok.encode('abz');
    assert.equal(ids[2], tok.unkId);
    assert.equal(tok.decode([tok.padId, ...tok.encode('ab'), tok.padId]), 'ab');
  });

  it('keeps only the most frequent characters beyond its limit', () => {
    const tok = CharTokenizer.fromTexts(['aaab', 'aac', 'bd'], 2);
    assert.deepEqual(tok.chars, ['a', 'b']);
    assert.equal(tok.encode('c')[0], tok.unkId);
  });

  it('refuses a file that is not its format, saying which', () => {
    assert.throws(() => CharTokenizer.fromJson({ format: 'other' }, 'model/tokenizer.json'), (e: unknown) => e instanceof TrainerError && e.kind === 'data' && /model\/tokenizer\.json/.test(e.message));
    assert.throws(() => CharTokenizer.fromJson({ ...CharTokenizer.fromTexts(['a']).toJson(), chars: ['ab'] }), /one character/);
  });
});
