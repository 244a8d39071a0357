// Eval items, tunix-rt's shape: {id, prompt, expected_answer, section?, category?, difficulty?}
// one per JSONL line. Ids and answers may be numbers (they become text); anything else wrong
// is reported with its line number.
import { UserError } from '../errors';
import type { EvalItem } from './judges/types';
import { describeType, parseJsonlObjects, readTextFile, textField, throwLineProblems, type LineProblem } from './jsonlRecords';

const OPTIONAL_KEYS = ['section', 'category', 'difficulty'] as const;
const HINT = 'Each line needs {"id": "...", "prompt": "...", "expected_answer": "..."} and may have "section", "category", "difficulty".';

export function parseEvalItems(text: string, path = 'eval items'): EvalItem[] {
  const { lines, problems } = parseJsonlObjects(text);
  const items: EvalItem[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, value } of lines) {
    const bad = (message: string) => problems.push({ line, message });
    const id = textField(value.id);
    const prompt = textField(value.prompt);
    const expected = textField(value.expected_answer);
    if (id === undefined || id === '') {
      bad(value.id === undefined ? 'missing "id"' : `"id" must be a non-empty string or a number, found ${describeType(value.id)}`);
      continue;
    }
    if (prompt === undefined) bad(value.prompt === undefined ? `item "${id}": missing "prompt"` : `item "${id}": "prompt" must be a string, found ${describeType(value.prompt)}`);
    if (expected === undefined) {
      bad(
        value.expected_answer === undefined
          ? `item "${id}": missing "expected_answer"${'final_answer' in value ? ' (this looks like a trace; export eval items with `tunix-rt dataset export KEY --format eval_items`)' : ''}`
          : `item "${id}": "expected_answer" must be a string, found ${describeType(value.expected_answer)}`,
      );
    }
    const item: EvalItem = { id, prompt: prompt ?? '', expected_answer: expected ?? '' };
    for (const key of OPTIONAL_KEYS) {
      const v = value[key];
      if (v === undefined || v === null) continue;
      const t = textField(v);
      if (t === undefined) bad(`item "${id}": "${key}" must be a string or a number, found ${describeType(v)}`);
      else item[key] = t;
    }
    const first = firstLineOf.get(id);
    if (first !== undefined) {
      bad(`duplicate item id "${id}" (first on line ${first})`);
      continue;
    }
    firstLineOf.set(id, line);
    items.push(item);
  }
  if (problems.length) throwLineProblems(path, 'eval items', problems.sort(byLine), HINT);
  return items;
}

const byLine = (a: LineProblem, b: LineProblem) => a.line - b.line;

export function readEvalItems(path: string): EvalItem[] {
  const items = parseEvalItems(readTextFile(path, 'eval items'), path);
  if (items.length === 0) throw new UserError(`The eval items file ${path} holds no items.`);
  return items;
}
