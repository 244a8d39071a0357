// The eval items of a run: the test split its trainer generated predictions for. The run
// folder keeps that split as the engine exported it (tunix_sft JSONL, `data.test` in the
// run's config.json), so the items are exactly the ones the model saw, even after the
// dataset changes. Each line {id, prompts: <Gemma-rendered text>, final_answer, metadata}
// becomes {id, prompt: <the user turn>, expected_answer: final_answer, section?, category?,
// difficulty? (from metadata)}.
import * as fs from 'node:fs';
import { UserError } from '../errors';
import { confinedJoin } from '../env/paths';
import { readJsonFile, runFiles } from '../run/runFolder';
import type { RunRecord } from '../run/types';
import type { EvalItem } from './judges/types';
import { describeType, parseJsonlObjects, readTextFile, textField, throwLineProblems, type LineProblem } from './jsonlRecords';

const USER_TURN = /<start_of_turn>user\n([\s\S]*?)<end_of_turn>/;

/** The raw prompt inside a rendered tunix_sft text (the text itself when it has no template). */
export function userTurn(rendered: string): string {
  return USER_TURN.exec(rendered)?.[1] ?? rendered;
}

export function parseSftEvalItems(text: string, path: string): EvalItem[] {
  const { lines, problems } = parseJsonlObjects(text);
  const items: EvalItem[] = [];
  const seen = new Map<string, number>();
  for (const { line, value } of lines) {
    const bad = (message: string) => problems.push({ line, message } satisfies LineProblem);
    const id = textField(value.id);
    if (!id) {
      bad(`missing "id" (found ${describeType(value.id)})`);
      continue;
    }
    const prompts = value.prompts ?? value.prompt;
    const expected = textField(value.final_answer ?? value.expected_answer);
    if (typeof prompts !== 'string') bad(`record "${id}": "prompts" must be a string, found ${describeType(prompts)}`);
    if (expected === undefined) bad(`record "${id}": "final_answer" must be a string, found ${describeType(value.final_answer)}`);
    if (typeof prompts !== 'string' || expected === undefined) continue;
    if (seen.has(id)) {
      bad(`duplicate id "${id}" (first on line ${seen.get(id)})`);
      continue;
    }
    seen.set(id, line);
    const item: EvalItem = { id, prompt: userTurn(prompts), expected_answer: expected };
    const meta = value.metadata && typeof value.metadata === 'object' ? (value.metadata as Record<string, unknown>) : value;
    for (const key of ['section', 'category', 'difficulty'] as const) {
      const v = textField(meta[key]);
      if (v !== undefined && v !== '') item[key] = v;
    }
    items.push(item);
  }
  if (problems.length) throwLineProblems(path, 'test split', problems, 'The run folder\'s test split should be the tunix_sft export the engine wrote; re-run training or pass --items FILE.');
  return items;
}

/** The test split file of a run folder, or a UserError saying what to do instead. */
export function runTestSplitPath(run: Pick<RunRecord, 'id' | 'runDir'>): string {
  const config = readJsonFile<{ data?: { test?: unknown } }>(runFiles(run.runDir).config);
  const relative = typeof config?.data?.test === 'string' ? config.data.test : 'data/test.jsonl';
  const file = confinedJoin(run.runDir, relative);
  if (!fs.existsSync(file)) {
    throw new UserError(`Run ${run.id} has no test split in its folder (${file}); its dataset may have no test split. Pass the eval items with --items FILE (export them with \`tunix-rt dataset export KEY --format eval_items --split test\`).`);
  }
  return file;
}

export function readRunEvalItems(run: Pick<RunRecord, 'id' | 'runDir'>): { items: EvalItem[]; source: string } {
  const file = runTestSplitPath(run);
  const items = parseSftEvalItems(readTextFile(file, 'test split'), file);
  if (items.length === 0) throw new UserError(`Run ${run.id}'s test split ${file} holds no items; build the dataset with a test split (e.g. --split train=0.8,val=0.1,test=0.1).`);
  return { items, source: file };
}
