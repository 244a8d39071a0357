// Exact decimal arithmetic for unit conversion (3.5 * 1000, 90 / 60): binary floats would
// print 0.30000000000000004 where a person writes 0.3.

export interface Decimal {
  /** The digits as an integer: value = units / 10^scale. */
  units: bigint;
  scale: number;
}

export function parseDecimal(text: string): Decimal {
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`Not a decimal number: "${text}"`);
  const [whole, frac = ''] = text.split('.');
  return { units: BigInt(whole + frac), scale: frac.length };
}

export function formatDecimal(d: Decimal): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  let text = d.scale ? `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}` : digits;
  // Trailing zeros after the point carry no information ("3500.0" is written "3500").
  if (d.scale) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return negative && text !== '0' ? `-${text}` : text;
}

export function multiply(d: Decimal, factor: bigint): Decimal {
  return { units: d.units * factor, scale: d.scale };
}

/** Exact division; undefined when the quotient has more than `maxScale` decimals. */
export function divide(d: Decimal, divisor: bigint, maxScale = 12): Decimal | undefined {
  let { units, scale } = d;
  while (units % divisor !== 0n) {
    if (scale >= maxScale) return undefined;
    units *= 10n;
    scale++;
  }
  return { units: units / divisor, scale };
}
