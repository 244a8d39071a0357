// Independent re-computation of every generated answer from its prompt alone, and checks
// that the steps carry the real work. Written without the generator code, on purpose: if a
// generator and its checker shared a bug, these tests could not catch it.
import type { TraceRecord } from '../../../src/core/trace/types';

export type Check = (t: TraceRecord) => void;

function fail(t: TraceRecord, what: string): never {
  throw new Error(`${what}\n  in ${JSON.stringify(t)}`);
}

function match(t: TraceRecord, re: RegExp, text: string, what: string): RegExpExecArray {
  const m = re.exec(text);
  if (!m) fail(t, `${what} does not match ${re}: ${JSON.stringify(text)}`);
  return m;
}

const digitsOnesFirst = (n: bigint) => [...(n < 0n ? -n : n).toString()].reverse().map(Number);

/** Checks "x+y+c=s, write d carry k" columns against the operands, carry chain included. */
function checkAdditionColumns(t: TraceRecord, a: bigint, b: bigint, steps: string[]): void {
  const da = digitsOnesFirst(a);
  const db = digitsOnesFirst(b);
  let carry = 0;
  const written: number[] = [];
  steps.forEach((content, place) => {
    const [, x, y, c, s, d, k] = match(t, /^(\d)\+(\d)\+([01])=(\d+), write (\d) carry ([01])$/, content, `column ${place}`).map(Number);
    if (x !== (da[place] ?? 0) || y !== (db[place] ?? 0)) fail(t, `column ${place} uses digits ${x},${y}, the operands have ${da[place] ?? 0},${db[place] ?? 0}`);
    if (c !== carry) fail(t, `column ${place} carries in ${c}, the previous column carried ${carry}`);
    if (s !== x + y + c || d !== s % 10 || k !== Math.floor(s / 10)) fail(t, `column ${place} arithmetic is wrong`);
    written.push(d);
    carry = k;
  });
  if (steps.length !== Math.max(da.length, db.length)) fail(t, 'one column step per digit expected');
  const fromSteps = BigInt(String(carry || '') + written.reverse().join(''));
  if (fromSteps !== a + b) fail(t, `the written digits give ${fromSteps}, not ${a + b}`);
}

/** Checks "T-y-b=d, write d borrow k" columns of big - small. */
function checkSubtractionColumns(t: TraceRecord, big: bigint, small: bigint, steps: string[]): void {
  const da = digitsOnesFirst(big);
  const db = digitsOnesFirst(small);
  let borrow = 0;
  const written: number[] = [];
  steps.forEach((content, place) => {
    const [, top, y, bin, d, w, bout] = match(t, /^(\d+)-(\d)-([01])=(\d), write (\d) borrow ([01])$/, content, `column ${place}`).map(Number);
    if (top !== da[place] + 10 * bout) fail(t, `column ${place}: top ${top} should be ${da[place]} plus ${10 * bout}`);
    if (y !== (db[place] ?? 0)) fail(t, `column ${place} subtracts ${y}, the operand digit is ${db[place] ?? 0}`);
    if (bin !== borrow) fail(t, `column ${place} borrow in ${bin}, expected ${borrow}`);
    if (d !== top - y - bin || w !== d || d < 0 || d > 9) fail(t, `column ${place} arithmetic is wrong`);
    written.push(d);
    borrow = bout;
  });
  if (borrow !== 0) fail(t, 'a borrow is left over after the top column');
  if (BigInt(written.reverse().join('')) !== big - small) fail(t, 'written digits do not give the difference');
}

function lastStep(t: TraceRecord): string {
  return t.steps[t.steps.length - 1].content;
}

function checkAddition(t: TraceRecord): void {
  const [, a, b] = match(t, /^What is (\d+) \+ (\d+)\?$/, t.prompt, 'prompt');
  const sum = BigInt(a) + BigInt(b);
  if (t.final_answer !== sum.toString()) fail(t, `answer should be ${sum}`);
  checkAdditionColumns(t, BigInt(a), BigInt(b), t.steps.slice(0, -1).map((s) => s.content));
  if (lastStep(t) !== `${a}+${b}=${sum}`) fail(t, 'result step');
}

function checkSubtraction(t: TraceRecord): void {
  const [, a, b] = match(t, /^What is (\d+) - (\d+)\?$/, t.prompt, 'prompt');
  const A = BigInt(a);
  const B = BigInt(b);
  if (t.final_answer !== (A - B).toString()) fail(t, `answer should be ${A - B}`);
  let columns = t.steps.slice(0, -1).map((s) => s.content);
  if (A < B) {
    if (columns[0] !== `${a}<${b}, so ${a}-${b}=-(${b}-${a})`) fail(t, 'a negative difference must say so first');
    columns = columns.slice(1);
    checkSubtractionColumns(t, B, A, columns);
  } else {
    checkSubtractionColumns(t, A, B, columns);
  }
  if (lastStep(t) !== `${a}-${b}=${A - B}`) fail(t, 'result step');
}

function checkMultiplication(t: TraceRecord): void {
  const [, a, b] = match(t, /^What is (\d+) \* (\d+)\?$/, t.prompt, 'prompt');
  const A = BigInt(a);
  const B = BigInt(b);
  if (t.final_answer !== (A * B).toString()) fail(t, `answer should be ${A * B}`);
  const bDigits = digitsOnesFirst(B);
  const partials: bigint[] = [];
  bDigits.forEach((digit, place) => {
    const content = t.steps[place].content;
    const head = match(t, /^(\d+)\*(\d) \((\w[\w-]*) digit\): (.*)$/, content, `partial ${place}`);
    if (BigInt(head[1]) !== A || Number(head[2]) !== digit) fail(t, `partial ${place} multiplies by the wrong digit`);
    const expected = A * BigInt(digit) * 10n ** BigInt(place);
    const shown = /-> (\d+)(?:, shift (\d+) -> (\d+))?$/.exec(head[4]);
    if (!shown) fail(t, `partial ${place} does not show its product`);
    const value = BigInt(shown[3] ?? shown[1]);
    if (value !== expected) fail(t, `partial ${place} is ${value}, should be ${expected}`);
    if (digit !== 0) {
      // Each digit product with its carry, ones first.
      let carry = 0;
      const ad = digitsOnesFirst(A);
      const parts = head[4].replace(/ -> .*$/, '').split(', ');
      parts.forEach((p, k) => {
        const [, x, y, c, s, d, nc] = match(t, /^(\d)\*(\d)\+(\d+)=(\d+) write (\d) carry (\d+)$/, p, `digit product ${k}`).map(Number);
        if (x !== ad[k] || y !== digit || c !== carry || s !== x * y + c || d !== s % 10 || nc !== Math.floor(s / 10)) fail(t, `digit product ${k} of partial ${place}`);
        carry = nc;
      });
    }
    partials.push(value);
  });
  let total = partials[0];
  for (let k = 1; k < partials.length; k++) {
    const content = t.steps[bDigits.length + k - 1].content;
    if (content !== `${total}+${partials[k]}=${total + partials[k]}`) fail(t, `sum step ${k}`);
    total += partials[k];
  }
  if (lastStep(t) !== `${a}*${b}=${A * B}`) fail(t, 'result step');
}

function checkReverse(t: TraceRecord): void {
  const [, word] = match(t, /^Reverse the string: '([^']+)'$/, t.prompt, 'prompt');
  const reversed = [...word].reverse().join('');
  if (t.final_answer !== reversed) fail(t, `answer should be ${reversed}`);
  if (t.steps[0].content !== `Characters: ${[...word].join(' ')}`) fail(t, 'the characters step must list the characters');
  if (t.steps[1].content !== `From last to first: ${[...reversed].join(' ')}`) fail(t, 'the read-back step');
}

function checkCountLetters(t: TraceRecord): void {
  const [, letter, word] = match(t, /^How many times does the letter '(.)' appear in '([^']+)'\?$/, t.prompt, 'prompt');
  const positions = [...word].flatMap((c, i) => (c === letter ? [i + 1] : []));
  if (t.final_answer !== String(positions.length)) fail(t, `answer should be ${positions.length}`);
  if (!t.steps[1].content.includes(positions.length ? positions.join(', ') : 'does not appear')) fail(t, 'the positions step');
}

/** Exact comparison of two non-negative decimal strings. */
function compareDecimals(a: string, b: string): number {
  const [ia, fa = ''] = a.split('.');
  const [ib, fb = ''] = b.split('.');
  const width = Math.max(fa.length, fb.length);
  const x = BigInt(ia + fa.padEnd(width, '0'));
  const y = BigInt(ib + fb.padEnd(width, '0'));
  return x === y ? 0 : x < y ? -1 : 1;
}

function checkCompare(t: TraceRecord): void {
  const [, a, b] = match(t, /^Which number is larger: (\d+(?:\.\d+)?) or (\d+(?:\.\d+)?)\?$/, t.prompt, 'prompt');
  const c = compareDecimals(a, b);
  if (c === 0) fail(t, 'the two numbers are equal');
  const larger = c > 0 ? a : b;
  if (t.final_answer !== larger) fail(t, `answer should be ${larger}`);
  if (lastStep(t) !== `${a}${c > 0 ? '>' : '<'}${b}, so the larger is ${larger}`) fail(t, 'result step');
}

// Each unit in a base unit, as a fraction [numerator, denominator] (m, g, L, s).
const UNIT: Record<string, [bigint, bigint]> = {
  km: [1000n, 1n], m: [1n, 1n], cm: [1n, 100n], mm: [1n, 1000n],
  kg: [1000n, 1n], g: [1n, 1n], mg: [1n, 1000n],
  L: [1n, 1n], mL: [1n, 1000n],
  day: [86400n, 1n], h: [3600n, 1n], min: [60n, 1n], s: [1n, 1n],
};
const DIMENSION: Record<string, string> = { km: 'len', m: 'len', cm: 'len', mm: 'len', kg: 'mass', g: 'mass', mg: 'mass', L: 'vol', mL: 'vol', day: 'time', h: 'time', min: 'time', s: 'time' };

function checkUnitConvert(t: TraceRecord): void {
  const [, value, from, to] = match(t, /^Convert (\d+(?:\.\d+)?) (\w+) to (\w+)\.$/, t.prompt, 'prompt');
  if (!UNIT[from] || !UNIT[to] || DIMENSION[from] !== DIMENSION[to]) fail(t, `units ${from} -> ${to} do not convert`);
  const [, got, unit] = match(t, /^(-?\d+(?:\.\d+)?) (\w+)$/, t.final_answer, 'answer');
  if (unit !== to) fail(t, `answer unit ${unit}, expected ${to}`);
  // value * from / to == got, cross-multiplied over a common scale: exact.
  const scale = (s: string) => (s.split('.')[1] ?? '').length;
  const w = Math.max(scale(value), scale(got));
  const asInt = (s: string) => BigInt(s.replace('.', '') + '0'.repeat(w - scale(s)));
  const lhs = asInt(value) * UNIT[from][0] * UNIT[to][1];
  const rhs = asInt(got) * UNIT[to][0] * UNIT[from][1];
  if (lhs !== rhs) fail(t, `${value} ${from} is not ${got} ${to}`);
  if (/\.\d*0$/.test(got) || /^0\d/.test(got)) fail(t, `answer ${got} is not in its shortest form`);
}

const RANK = '23456789TJQKA';

function checkHighCard(t: TraceRecord): void {
  const [, mineText, theirsText] = match(t, /^High Card Duel: you hold (.+); your opponent holds (.+)\. (?:The higher|Compare the highest).* Do you win, lose or tie\?$/, t.prompt, 'prompt');
  const cards = (s: string) => s.split(/, | and /);
  const mine = cards(mineText);
  const theirs = cards(theirsText);
  const all = [...mine, ...theirs];
  for (const c of all) if (!/^[2-9TJQKA][SHDC]$/.test(c)) fail(t, `bad card ${c}`);
  if (new Set(all).size !== all.length) fail(t, 'a card was dealt twice');
  if (mine.length !== theirs.length) fail(t, 'hands of different sizes');
  const ranks = (h: string[]) => h.map((c) => RANK.indexOf(c[0]) + 2).sort((x, y) => y - x);
  const r1 = ranks(mine);
  const r2 = ranks(theirs);
  let outcome = 'tie';
  for (let k = 0; k < r1.length; k++) {
    if (r1[k] !== r2[k]) {
      outcome = r1[k] > r2[k] ? 'win' : 'lose';
      break;
    }
  }
  if (t.final_answer !== outcome) fail(t, `answer should be ${outcome}`);
  // The steps name every card with its rank value.
  const named = t.steps.slice(0, 2).map((s) => s.content).join(' ');
  for (const c of all) if (!named.includes(`${c}=${RANK.indexOf(c[0]) + 2}`)) fail(t, `steps do not name ${c} with its rank`);
  if (lastStep(t) !== `Result: ${outcome}`) fail(t, 'result step');
}

export const CHECKERS: Record<string, Check> = {
  addition: checkAddition,
  subtraction: checkSubtraction,
  multiplication: checkMultiplication,
  reverse: checkReverse,
  count_letters: checkCountLetters,
  compare: checkCompare,
  unit_convert: checkUnitConvert,
  high_card: checkHighCard,
};
