// A small external "trainer" for the evaluation tests: it reads the tunix_sft splits the run
// engine exports, learns the digit-sum table column by column from the worked steps of the
// train split ("9+3+0=12, write 2 carry 1"), and answers the test split by adding column by
// column with what it learned. With --no-carry it never learned to carry (a typical early
// failure), so it gets exactly the items without a carry right. It writes what any external
// trainer writes into its output folder: metrics.jsonl and predictions.jsonl ({id, prediction}).
//   node columnAdder.mjs TRAIN TEST OUTPUT_DIR [--no-carry]
import { readFileSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [train, test, outDir, flag] = process.argv.slice(2);
if (!train || !test || !outDir) {
  console.error('usage: columnAdder.mjs TRAIN TEST OUTPUT_DIR [--no-carry]');
  process.exit(2);
}
const carry = flag !== '--no-carry';
const records = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

mkdirSync(outDir, { recursive: true });
const metrics = join(outDir, 'metrics.jsonl');
writeFileSync(metrics, '');
// "Training": collect digit + digit (+ carry) = sum from the worked steps.
const table = new Map();
let step = 0;
for (const r of records(train)) {
  for (const m of String(r.prompts).matchAll(/(\d)\+(\d)\+(\d)=(\d+)/g)) table.set(`${m[1]}+${m[2]}+${m[3]}`, Number(m[4]));
  step++;
  if (step % 20 === 0) {
    const coverage = table.size / 200; // 10 x 10 x {0,1}
    appendFileSync(metrics, JSON.stringify({ step, epoch: 1, loss: Number((2 * (1 - coverage) + 0.05).toFixed(4)), table_entries: table.size, timestamp: Date.now() / 1000 }) + '\n');
  }
}

function add(a, b) {
  const x = a.split('').reverse();
  const y = b.split('').reverse();
  let c = 0;
  const digits = [];
  const steps = [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const key = `${x[i] ?? 0}+${y[i] ?? 0}+${c}`;
    const s = table.get(key) ?? Number(x[i] ?? 0) + Number(y[i] ?? 0) + c;
    digits.push(s % 10);
    steps.push(`${key}=${s}, write ${s % 10} carry ${carry ? Math.floor(s / 10) : 0}`);
    c = carry ? Math.floor(s / 10) : 0;
  }
  if (c) digits.push(c);
  return { answer: digits.reverse().join('').replace(/^0+(?=\d)/, ''), steps };
}

const out = [];
for (const r of records(test)) {
  const m = /What is (\d+) \+ (\d+)\?/.exec(String(r.prompts));
  if (!m) {
    out.push({ id: r.id, prediction: 'Answer: I do not know' });
    continue;
  }
  const { answer, steps } = add(m[1], m[2]);
  out.push({ id: r.id, prediction: `Reasoning:\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}\nAnswer: ${answer}` });
}
writeFileSync(join(outDir, 'predictions.jsonl'), out.map((o) => JSON.stringify(o)).join('\n') + '\n');
console.log(`learned ${table.size} digit sums; predicted ${out.length} test items (carry ${carry ? 'on' : 'off'})`);
