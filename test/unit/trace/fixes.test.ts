import * as assert from 'node:assert/strict';
import { addTraceVersion, applyOffsetEdits, dropDuplicateStep, objectifyAllStringSteps, objectifyStringStep, removeOverriddenKey, renumberSteps } from '../../../src/core/trace/fixes';
import { validateTraceLine } from '../../../src/core/trace/validate';
import { validRecord, withStep } from './corpus';

const codes = (text: string) => validateTraceLine(text, 1).problems.map((p) => p.code);

describe('quick fixes', () => {
  it('renumber step indices fixes duplicate, negative and out-of-order indices, touching only the numbers', () => {
    const text = '{"trace_version": "1.0", "prompt": "p", "final_answer": "3", "steps": [{"i": 4, "type": "a", "content": "x"}, {"i": 4, "type": "b", "content": "3"}, {"i": -1, "type": "c", "content": "y"}]}';
    assert.deepEqual(codes(text), ['TRC009', 'TRC008']);
    const fixed = applyOffsetEdits(text, renumberSteps(text)!);
    assert.equal(fixed, text.replace('"i": 4, "type": "a"', '"i": 0, "type": "a"').replace('"i": 4, "type": "b"', '"i": 1, "type": "b"').replace('"i": -1', '"i": 2'));
    assert.deepEqual(codes(fixed), []);
    assert.equal(renumberSteps(fixed), undefined, 'nothing left to renumber');
  });

  it('drops a step that repeats an earlier one exactly, and only then', () => {
    const rec = validRecord(1);
    const steps = rec.steps as object[];
    const text = JSON.stringify({ ...rec, steps: [steps[0], steps[1], steps[0]] });
    assert.deepEqual(codes(text), ['TRC009']);
    const fixed = applyOffsetEdits(text, dropDuplicateStep(text, 2)!);
    assert.equal(fixed, JSON.stringify(rec));
    assert.deepEqual(codes(fixed), []);
    // Same index, different content: not certain, no fix.
    const differs = withStep(1, 1, { i: 0, type: 'result', content: '1 + 1 = 2' });
    assert.equal(dropDuplicateStep(differs, 1), undefined);
    // Removing the first of two identical steps is never offered (the later one is the duplicate).
    assert.equal(dropDuplicateStep(text, 0), undefined);
  });

  it('removes an overridden key (TRC105) with its comma, in any object, and nothing else', () => {
    const text = '{"trace_version": "1.0", "prompt": "p", "final_answer": "5", "final_answer": "3", "steps": [{"i": 0, "type": "a", "content": "3"}], "meta": {"k": {"x": 1, "x": 2}}}';
    const problems = validateTraceLine(text, 1).problems;
    assert.deepEqual(problems.map((p) => p.code), ['TRC105', 'TRC105']);
    let fixed = text;
    for (const p of [...problems].reverse()) fixed = applyOffsetEdits(fixed, removeOverriddenKey(fixed, p.column - 1)!);
    assert.equal(fixed, text.replace('"final_answer": "5", ', '').replace('"x": 1, ', ''));
    assert.deepEqual(codes(fixed), []);
    assert.deepEqual(JSON.parse(fixed), JSON.parse(text), 'readers see the same record');
    // The last occurrence overrides nothing; an offset that is not a key start gets nothing.
    assert.equal(removeOverriddenKey(text, text.indexOf('"final_answer": "3"')), undefined);
    assert.equal(removeOverriddenKey(text, text.indexOf('"prompt"')), undefined);
    assert.equal(removeOverriddenKey(text, 3), undefined);
  });

  it('adds a missing trace_version in the line\'s own style', () => {
    const spaced = '{"prompt": "What is 1 + 1?", "final_answer": "2", "steps": [{"i": 0, "type": "r", "content": "2"}]}';
    assert.equal(applyOffsetEdits(spaced, addTraceVersion(spaced)!), '{"trace_version": "1.0", "prompt": "What is 1 + 1?", "final_answer": "2", "steps": [{"i": 0, "type": "r", "content": "2"}]}');
    const compact = JSON.stringify({ prompt: 'p', final_answer: '2', steps: [{ i: 0, type: 'r', content: '2' }] });
    const fixed = applyOffsetEdits(compact, addTraceVersion(compact)!);
    assert.equal(fixed, '{"trace_version":"1.0",' + compact.slice(1));
    assert.deepEqual(codes(fixed), []);
    assert.equal(addTraceVersion(fixed), undefined);
    assert.equal(addTraceVersion('{"trace_version": 5'), undefined, 'no fix on broken JSON');
  });

  it('turns a bare string step into an object, with a free index', () => {
    const text = JSON.stringify({ ...validRecord(1), steps: ['Add one to 1', { i: 0, type: 'result', content: '1 + 1 = 2' }] });
    const fixed = applyOffsetEdits(text, objectifyStringStep(text, 0)!);
    assert.deepEqual(JSON.parse(fixed).steps[0], { i: 1, type: 'step', content: 'Add one to 1' });
    assert.deepEqual(codes(fixed), ['TRC102'], 'valid; index 1 before 0 is only a warning');
    const all = JSON.stringify({ ...validRecord(2), steps: ['a', 'b', '2 + 1 = 3'] });
    const allFixed = applyOffsetEdits(all, objectifyAllStringSteps(all)!);
    assert.deepEqual(JSON.parse(allFixed).steps, [
      { i: 0, type: 'step', content: 'a' },
      { i: 1, type: 'step', content: 'b' },
      { i: 2, type: 'step', content: '2 + 1 = 3' },
    ]);
    assert.deepEqual(codes(allFixed), []);
    assert.equal(objectifyStringStep(allFixed, 0), undefined);
  });

  it('keeps escapes inside the converted string byte for byte', () => {
    const text = '{"trace_version":"1.0","prompt":"p","final_answer":"\\"q\\"","steps":["say \\"q\\" \\u00e9"]}';
    const fixed = applyOffsetEdits(text, objectifyStringStep(text, 0)!);
    assert.ok(fixed.includes('"content":"say \\"q\\" \\u00e9"'));
    assert.deepEqual(codes(fixed), []);
  });
});
