// The bad-input corpus: malformed trace records, each with the code it must produce and the
// exact range of the offending token, described by a marker substring so the expectations
// read as what a user would point at.

/** A valid record; `n` varies the prompt so records never repeat one another. */
export function validRecord(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    trace_version: '1.0',
    prompt: `What is ${n} + 1?`,
    final_answer: String(n + 1),
    steps: [
      { i: 0, type: 'process', content: `Add one to ${n}` },
      { i: 1, type: 'result', content: `${n} + 1 = ${n + 1}` },
    ],
    meta: { source: 'corpus' },
    ...extra,
  };
}

export function line(n: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(validRecord(n, extra));
}

/** A record line with one step replaced (or added at `index`). */
export function withStep(n: number, index: number, step: unknown): string {
  const r = validRecord(n);
  const steps = [...(r.steps as unknown[])];
  steps[index] = step;
  return JSON.stringify({ ...r, steps });
}

export function without(n: number, key: string): string {
  const r = validRecord(n);
  delete r[key];
  return JSON.stringify(r);
}

export interface CorpusCase {
  name: string;
  text: string;
  code: string;
  /** The offending token: the range starts at its first occurrence (after `after`, if given) and spans it. */
  mark?: string;
  after?: string;
  /** Length of the range when it is not the whole marker (e.g. 1 for the `{` of an object). */
  len?: number;
  /** The range is the empty range at the end of the line (a truncated line). */
  atEnd?: boolean;
  /** The range is the whole line. */
  whole?: boolean;
  /** Text the message must contain (the expected and found values, the limit and the length). */
  says?: RegExp;
}

const s = (n: number, c = 'x') => c.repeat(n);
const emoji = (n: number) => '\u{1F600}'.repeat(n);
const stepsOf = (k: number) => Array.from({ length: k }, (_, i) => ({ i, type: 'process', content: i === 0 ? '1' : `step ${i}` }));

export const CORPUS: CorpusCase[] = [
  // Invalid JSON (TRC001): located at the first bad token.
  { name: 'truncated after a value', text: '{"trace_version": "1.0", "prompt": "p"', code: 'TRC001', atEnd: true, says: /truncated/ },
  { name: 'truncated inside a string', text: '{"trace_version": "1.0", "prompt": "Reve', code: 'TRC001', mark: '"Reve', says: /string is not closed/ },
  { name: 'truncated after a colon', text: '{"trace_version": "1.0", "prompt":', code: 'TRC001', atEnd: true },
  { name: 'truncated inside the steps array', text: '{"trace_version": "1.0", "prompt": "p", "steps": [{"i": 0', code: 'TRC001', atEnd: true },
  { name: 'missing comma between fields', text: '{"trace_version": "1.0" "prompt": "p"}', code: 'TRC001', mark: '"prompt"', says: /expected ','/ },
  { name: 'single-quoted strings', text: "{'prompt': 'p'}", code: 'TRC001', mark: "'prompt'" },
  { name: 'trailing comma', text: '{"prompt": "p",}', code: 'TRC001', mark: '}', says: /property name/ },
  { name: 'unquoted key', text: '{prompt: "p"}', code: 'TRC001', mark: 'prompt' },
  { name: 'NUL byte inside a string', text: '{"prompt": "a\u0000b"}', code: 'TRC001', mark: '\u0000', says: /U\+0000/ },
  { name: 'binary bytes inside a string', text: '{"prompt": "\u0007\u0001"}', code: 'TRC001', mark: '\u0007', says: /control character/ },
  { name: 'invalid escape', text: '{"prompt": "a\\xb"}', code: 'TRC001', mark: '\\x' },
  { name: 'invalid unicode escape', text: '{"prompt": "a\\u12G4"}', code: 'TRC001', mark: '\\u12' },
  { name: 'two records on one line', text: '{"a": 1} {"b": 2}', code: 'TRC001', mark: '{"b"', len: 1, says: /one record per line/ },
  { name: 'NaN literal', text: '{"prompt": NaN}', code: 'TRC001', mark: 'NaN' },
  { name: 'comment', text: '{"prompt": "p"} // note', code: 'TRC001', mark: '// note' },
  { name: 'a stray closing brace', text: '}', code: 'TRC001', mark: '}' },
  // Not an object (TRC002).
  { name: 'array instead of object', text: `[${line(1)}]`, code: 'TRC002', whole: true, says: /found an array/ },
  { name: 'string instead of object', text: '"What is 1 + 1?"', code: 'TRC002', whole: true, says: /found a string/ },
  { name: 'null instead of object', text: 'null', code: 'TRC002', whole: true, says: /found null/ },
  { name: 'number instead of object', text: '42', code: 'TRC002', whole: true },
  // Missing fields (TRC003): the `{` of the object that lacks them.
  { name: 'missing trace_version', text: without(2, 'trace_version'), code: 'TRC003', mark: '{', says: /"trace_version"/ },
  { name: 'missing prompt', text: without(3, 'prompt'), code: 'TRC003', mark: '{', says: /"prompt"/ },
  { name: 'missing final_answer', text: without(4, 'final_answer'), code: 'TRC003', mark: '{', says: /"final_answer"/ },
  { name: 'missing steps', text: without(5, 'steps'), code: 'TRC003', mark: '{', says: /"steps"/ },
  { name: 'step without i', text: withStep(6, 1, { type: 'result', content: '7' }), code: 'TRC003', mark: '{"type"', len: 1, says: /"i" in steps\[1\]/ },
  { name: 'step without content', text: withStep(7, 0, { i: 0, type: 'process' }), code: 'TRC003', mark: '{"i":0', len: 1, says: /"content"/ },
  // Wrong types (TRC004): the value, with what was expected and what was found.
  { name: 'trace_version is a number', text: line(8, { trace_version: 1 }), code: 'TRC004', mark: '1', after: '"trace_version":', says: /must be a string.*found a number \(1\)/ },
  { name: 'prompt is null', text: line(9, { prompt: null }), code: 'TRC004', mark: 'null', says: /"prompt" must be a string.*found null/ },
  { name: 'prompt is an array', text: line(10, { prompt: ['a'] }), code: 'TRC004', mark: '["a"]', says: /found an array/ },
  { name: 'final_answer is an object', text: line(11, { final_answer: { v: 12 } }), code: 'TRC004', mark: '{"v":12}', says: /"final_answer".*found an object/ },
  { name: 'final_answer is a number', text: line(12, { final_answer: 13 }), code: 'TRC004', mark: '13', after: '"final_answer":' },
  { name: 'steps is an object', text: line(13, { steps: { i: 0 } }), code: 'TRC004', mark: '{"i":0}', says: /"steps" must be an array/ },
  { name: 'steps is null', text: line(14, { steps: null }), code: 'TRC004', mark: 'null' },
  { name: 'meta is a string', text: line(15, { meta: 'corpus' }), code: 'TRC004', mark: '"corpus"', says: /"meta" must be an object or null/ },
  { name: 'meta is an array', text: line(16, { meta: [1] }), code: 'TRC004', mark: '[1]' },
  { name: 'step index is a string', text: withStep(17, 1, { i: '1', type: 'result', content: '18' }), code: 'TRC004', mark: '"1"', after: '"steps"', says: /"steps\[1\]\.i" must be an integer >= 0; found a string/ },
  { name: 'step type is a number', text: withStep(18, 0, { i: 0, type: 5, content: 'x' }), code: 'TRC004', mark: '5', after: '"type":' },
  { name: 'step content is null', text: withStep(19, 1, { i: 1, type: 'result', content: null }), code: 'TRC004', mark: 'null' },
  { name: 'step is null', text: withStep(20, 1, null), code: 'TRC004', mark: 'null', says: /steps\[1\] must be an object/ },
  { name: 'step is an array', text: withStep(21, 0, [0, 'process', 'x']), code: 'TRC004', mark: '[0,"process","x"]' },
  { name: 'step is a boolean', text: withStep(22, 0, true), code: 'TRC004', mark: 'true' },
  { name: 'id is a number', text: line(23, { id: 7 }), code: 'TRC004', mark: '7', after: '"id":' },
  // Empty strings (TRC005).
  { name: 'empty prompt', text: line(24, { prompt: '' }), code: 'TRC005', mark: '""', says: /"prompt" is empty; it needs 1-50,000/ },
  { name: 'empty trace_version', text: line(25, { trace_version: '' }), code: 'TRC005', mark: '""' },
  { name: 'empty final_answer', text: line(26, { final_answer: '' }), code: 'TRC005', mark: '""' },
  { name: 'empty step type', text: withStep(27, 0, { i: 0, type: '', content: '28' }), code: 'TRC005', mark: '""' },
  { name: 'empty step content', text: withStep(28, 1, { i: 1, type: 'result', content: '' }), code: 'TRC005', mark: '""', says: /"steps\[1\]\.content" is empty/ },
  // Limits exceeded by one (TRC006), with the limit and the actual length.
  { name: 'trace_version of 65 chars', text: line(29, { trace_version: s(65) }), code: 'TRC006', mark: `"${s(65)}"`, says: /is 65 characters long; the limit is 64 \(1 over\)/ },
  { name: 'prompt of 50,001 chars', text: line(30, { prompt: s(50_001) }), code: 'TRC006', mark: `"${s(50_001)}"`, says: /50,001 characters long; the limit is 50,000/ },
  { name: 'final_answer of 50,001 chars', text: line(31, { final_answer: s(50_001, '3') }), code: 'TRC006', mark: `"${s(50_001, '3')}"` },
  { name: 'step type of 65 chars', text: withStep(32, 0, { i: 0, type: s(65, 't'), content: '33' }), code: 'TRC006', mark: `"${s(65, 't')}"` },
  { name: 'step content of 20,001 chars', text: withStep(33, 1, { i: 1, type: 'result', content: s(20_001, '4') }), code: 'TRC006', mark: `"${s(20_001, '4')}"`, says: /20,001 characters long; the limit is 20,000/ },
  { name: 'prompt of 50,001 emoji (code points, as tunix-rt counts)', text: line(34, { prompt: emoji(50_001) }), code: 'TRC006', mark: `"${emoji(50_001)}"`, says: /50,001 characters/ },
  { name: 'no steps', text: line(35, { steps: [] }), code: 'TRC007', mark: '[]', says: /"steps" is empty/ },
  { name: '1,001 steps', text: line(36, { steps: stepsOf(1001), final_answer: '1' }), code: 'TRC007', mark: '"steps"', says: /1,001 steps; the limit is 1,000 \(1 over\)/ },
  // Step indices.
  { name: 'negative step index', text: withStep(37, 1, { i: -1, type: 'result', content: '38' }), code: 'TRC008', mark: '-1', says: /found -1 \(negative\)/ },
  { name: 'fractional step index', text: withStep(38, 1, { i: 1.5, type: 'result', content: '39' }), code: 'TRC008', mark: '1.5', says: /not a whole number/ },
  { name: 'step index beyond 2^53', text: withStep(39, 1, { i: 1e300, type: 'result', content: '40' }), code: 'TRC008', mark: '1e+300' },
  { name: 'duplicate step index', text: withStep(40, 1, { i: 0, type: 'result', content: '41' }), code: 'TRC009', mark: '0', after: 'Add one to 40"},{"i":', says: /Step index 0 is used twice \(steps\[0\] and steps\[1\]\)/ },
  { name: 'bare string step', text: withStep(41, 1, '41 + 1 = 42'), code: 'TRC010', mark: '"41 + 1 = 42"', says: /bare string/ },
  // Warnings: the record stays importable.
  { name: 'unknown top-level field', text: line(42, { promt: 'typo' }), code: 'TRC101', mark: '"promt"', says: /Did you mean "prompt"\?/ },
  { name: 'unknown step field', text: withStep(43, 0, { i: 0, type: 'process', content: 'Add one to 43', weight: 1 }), code: 'TRC101', mark: '"weight"', says: /in steps\[0\]/ },
  { name: 'steps out of index order', text: JSON.stringify({ ...validRecord(44), steps: [{ i: 1, type: 'process', content: 'Add one to 44' }, { i: 0, type: 'result', content: '44 + 1 = 45' }] }), code: 'TRC102', mark: '0', after: 'Add one to 44"},{"i":', says: /Step index 0 comes after 1/ },
  { name: 'final answer no step mentions', text: line(45, { final_answer: 'forty-six' }), code: 'TRC103', mark: '"forty-six"', says: /No step mentions the final answer "forty-six"/ },
  { name: 'top-level key repeated', text: line(46).replace('"final_answer":"47"', '"final_answer":"48","final_answer":"47"'), code: 'TRC105', mark: '"final_answer"', says: /keep only the last value \(`"47"`\), so this one \(`"48"`\) is ignored/ },
  { name: 'step key repeated', text: line(47).replace('"type":"process"', '"type":"plan","type":"process"'), code: 'TRC105', mark: '"type"', says: /"type" is given again later in this object/ },
  { name: 'meta key repeated in a nested object', text: line(48, { meta: { source: 'corpus', tags: { level: 1 } } }).replace('"level":1', '"level":1, "level" : 2'), code: 'TRC105', mark: '"level"', says: /last value \(`2`\), so this one \(`1`\)/ },
];

/** Records at exactly the limits: each must be valid. */
export const AT_LIMITS: Array<{ name: string; text: string }> = [
  { name: 'trace_version of 64 chars', text: line(100, { trace_version: s(64) }) },
  { name: 'prompt of 50,000 chars', text: line(101, { prompt: s(50_000) }) },
  { name: 'prompt of 50,000 emoji (100,000 UTF-16 units)', text: line(102, { prompt: emoji(50_000) }) },
  { name: 'final_answer of 50,000 chars', text: JSON.stringify({ ...validRecord(103), final_answer: s(50_000, '9'), steps: [{ i: 0, type: 'result', content: s(20_000, '9') }] }) },
  { name: 'step type of 64 chars', text: withStep(104, 0, { i: 0, type: s(64, 't'), content: 'Add one to 104' }) },
  { name: 'step content of 20,000 chars', text: withStep(105, 0, { i: 0, type: 'process', content: s(20_000, 'c') }) },
  { name: '1,000 steps', text: line(106, { steps: stepsOf(1000), final_answer: '1' }) },
  { name: '1 step', text: line(107, { steps: [{ i: 5, type: 'result', content: '108' }] }) },
  { name: 'single-character strings', text: JSON.stringify({ trace_version: '1', prompt: '?', final_answer: '!', steps: [{ i: 0, type: 't', content: '!' }] }) },
  { name: 'non-contiguous indices', text: line(109, { steps: [{ i: 3, type: 'a', content: 'x' }, { i: 10, type: 'b', content: '110' }] }) },
  { name: 'meta null', text: line(110, { meta: null }) },
  { name: 'no meta', text: without(111, 'meta') },
  { name: 'escaped unicode and quotes', text: line(112, { prompt: 'say "hi" \u00e9 \u2028 \\' }) },
];
