/**
 * Whether a `.jsonl` file holds traces (rather than eval items, predictions or metrics),
 * judged from its first non-blank line: a trace has at least two of the keys prompt,
 * steps and final_answer. Eval items (prompt, expected_answer), exported datasets
 * (prompts, trace_steps) and metrics lines do not; a broken trace still does, so it gets
 * validated and its problems shown.
 */

const KEYS = ['prompt', 'steps', 'final_answer'] as const;

/** Looks at one line (the first non-blank one of a file). */
export function looksLikeTraceLine(text: string): boolean {
  const head = text.length > 256 * 1024 ? text.slice(0, 256 * 1024) : text;
  try {
    const v = JSON.parse(head) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return KEYS.filter((k) => k in (v as object)).length >= 2;
    return false;
  } catch {
    // Broken or cut (a long line): look for the keys as JSON property names.
    return KEYS.filter((k) => new RegExp(`"${k}"\\s*:`).test(head)).length >= 2;
  }
}

/** Finds the first non-blank line among `lines` and judges it; false when all are blank. */
export function looksLikeTraceFile(lines: Iterable<string>): boolean {
  for (const l of lines) if (l.trim() !== '') return looksLikeTraceLine(l);
  return false;
}

/** Reads the start of a file on disk and judges its first non-blank line. */
export async function fileLooksLikeTraces(file: string): Promise<boolean> {
  const { open } = await import('node:fs/promises');
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(256 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    let text = buf.subarray(0, bytesRead).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return looksLikeTraceFile(text.split(/\r\n|\r|\n/));
  } finally {
    await handle.close();
  }
}
