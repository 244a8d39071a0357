// Deterministic trace data for the validation benchmarks: realistic records (like
// tunix-rt's dev-reasoning data, ~400 bytes each) with a given share of invalid ones of
// varied kinds.

/** mulberry32: a small seeded PRNG, so every run measures the same bytes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function validTraceLine(n: number, rand: () => number): string {
  const a = Math.floor(rand() * 900) + 100;
  const b = Math.floor(rand() * 900) + 100;
  const s = a + b;
  const steps = [
    { i: 0, type: 'process', content: `Add the ones: ${a % 10} + ${b % 10} = ${(a % 10) + (b % 10)}` },
    { i: 1, type: 'carry', content: `Add the tens with the carry: ${Math.floor(a / 10) % 10} + ${Math.floor(b / 10) % 10}` },
    { i: 2, type: 'result', content: `So ${a} + ${b} = ${s}` },
  ];
  return JSON.stringify({
    trace_version: '1.0',
    prompt: `What is ${a} + ${b}? Show each column of the addition. (item ${n})`,
    final_answer: String(s),
    steps,
    meta: { dataset: 'bench-reasoning-v1', category: 'synthetic', task_type: 'addition', seed: n },
  });
}

/** An invalid variant of a valid line, cycling through kinds of breakage. */
export function invalidTraceLine(n: number, rand: () => number): string {
  const good = validTraceLine(n, rand);
  const r = JSON.parse(good);
  switch (n % 8) {
    case 0:
      return good.slice(0, Math.floor(good.length * rand())); // truncated
    case 1:
      return JSON.stringify({ ...r, prompt: 42 });
    case 2:
      return JSON.stringify({ ...r, steps: [...r.steps, { i: 1, type: 'result', content: 'again' }] });
    case 3:
      return JSON.stringify({ ...r, final_answer: '' });
    case 4:
      return good.replace('"steps":', '"steps" ');
    case 5:
      return JSON.stringify({ ...r, steps: r.steps.map((s: { content: string }) => s.content) });
    case 6: {
      const { trace_version: _v, ...rest } = r;
      return JSON.stringify(rest);
    }
    default:
      return JSON.stringify({ ...r, steps: [{ ...r.steps[0], i: -1 }, ...r.steps.slice(1)] });
  }
}

/** Lines of about `bytes` total, `invalidShare` of them invalid. */
export function* traceLines(bytes: number, invalidShare: number, seed = 42): Generator<string> {
  const rand = prng(seed);
  let total = 0;
  for (let n = 0; total < bytes; n++) {
    const line = rand() < invalidShare ? invalidTraceLine(n, rand) : validTraceLine(n, rand);
    total += Buffer.byteLength(line) + 1;
    yield line;
  }
}
