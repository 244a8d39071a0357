/**
 * JSON text laid out the way Python's `json.dumps(obj)` writes it with default arguments,
 * which is how tunix-rt wrote its exports: ", " and ": " separators and `ensure_ascii`
 * (every character above U+007F as a lowercase \uXXXX escape, astral characters as their
 * surrogate pair). Keys keep insertion order, as Python dicts do.
 *
 * One known difference remains: numbers are written the JavaScript way (1e-7, and 1 for a
 * float that Python would print as 1.0), because JSON.parse does not keep that distinction.
 */
export function pyJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return asciiOnly(JSON.stringify(value) ?? 'null');
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : pyJson(v))).join(', ')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function') continue; // as JSON.stringify drops them
    parts.push(`${asciiOnly(JSON.stringify(k))}: ${pyJson(v)}`);
  }
  return `{${parts.join(', ')}}`;
}

const NON_ASCII = /[\u0080-\uffff]/g;

function asciiOnly(json: string): string {
  return json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
