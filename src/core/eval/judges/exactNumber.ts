// Exact numbers for answer_correctness@v2: an answer that is a number is parsed into a
// reduced fraction of BigInts, so 0.5 = 1/2 = 2/4 = 5e-1 exactly, with no floating-point
// tolerance to argue about (0.1 + 0.2 style errors cannot make a wrong answer right).

export interface ExactNumber {
  /** Reduced: gcd(|num|, den) = 1, den > 0. */
  num: bigint;
  den: bigint;
  /** A leading currency sign ($ € £ ¥), or '' when none. Both sides must agree. */
  currency: string;
  /** A trailing % sign. 50% and 0.5 are different answers; 50% and 50.0% are the same. */
  percent: boolean;
}

/** Larger exponents are not "simple numbers" and would make BigInt powers expensive. */
const MAX_EXPONENT = 400;

// An unsigned number: 1,000 | 1000 | 12.5 | .5 | 1,234.56 | 1e3 | 2.5E-2
const UNSIGNED_DECIMAL = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?`;
// A simple fraction 3/4, or a mixed number 1 1/2 (whole, one space, fraction).
const FRACTION = String.raw`(?:(\d+) )?(\d+)/(\d+)`;
const NUMBER_RE = new RegExp(String.raw`^([+-]?)([$€£¥]?)([+-]?)(?:(${FRACTION})|(${UNSIGNED_DECIMAL}))(%?)$`, 'i');

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

function reduce(num: bigint, den: bigint): { num: bigint; den: bigint } {
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

/** Parses "1,234.5e-2" (no sign) into a fraction, or undefined when the exponent is too large. */
function parseDecimal(text: string): { num: bigint; den: bigint } | undefined {
  const [mantissa, expPart] = text.toLowerCase().split('e');
  const exponent = expPart === undefined ? 0 : Number(expPart);
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  const [intPart, fracPart = ''] = mantissa.replaceAll(',', '').split('.');
  let num = BigInt((intPart || '0') + fracPart);
  let den = 10n ** BigInt(fracPart.length);
  if (exponent > 0) num *= 10n ** BigInt(exponent);
  else if (exponent < 0) den *= 10n ** BigInt(-exponent);
  return reduce(num, den);
}

/**
 * Reads a whole (already normalized) answer as a number, or undefined when it is not one.
 * Accepted: integers with optional thousands commas (1,000), decimals (42.0, .5, 3.),
 * scientific notation (1e3), simple fractions (3/4), mixed numbers (1 1/2), one sign
 * before or after a currency sign (-$5, $-5), a trailing percent sign (50%).
 */
export function parseExactNumber(text: string): ExactNumber | undefined {
  const m = NUMBER_RE.exec(text);
  if (!m) return undefined;
  const [, sign1, currency, sign2, fraction, whole, fnum, fden, decimal, percent] = m;
  if (sign1 && sign2) return undefined; // "-$-5" is not a number anyone writes
  const negative = (sign1 || sign2) === '-';
  let value: { num: bigint; den: bigint } | undefined;
  if (fraction !== undefined) {
    const den = BigInt(fden);
    if (den === 0n) return undefined;
    const wholePart = whole === undefined ? 0n : BigInt(whole);
    value = reduce(wholePart * den + BigInt(fnum), den);
  } else {
    // "3." is a decimal with an empty fraction; "." alone never reaches here.
    value = parseDecimal(decimal);
  }
  if (!value) return undefined;
  return { num: negative ? -value.num : value.num, den: value.den, currency, percent: percent === '%' };
}

export function exactNumbersEqual(a: ExactNumber, b: ExactNumber): boolean {
  return a.currency === b.currency && a.percent === b.percent && a.num === b.num && a.den === b.den;
}

/** "3/2", "-7", for details shown to people. */
export function formatExactNumber(n: ExactNumber): string {
  const value = n.den === 1n ? `${n.num}` : `${n.num}/${n.den}`;
  return `${n.currency}${value}${n.percent ? '%' : ''}`;
}
