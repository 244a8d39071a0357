// Reads a split in tunix-rt's `tunix_sft` export format: one JSON object per line,
// {id, prompts: <Gemma-rendered text>, final_answer, metadata}. The rendered text is split at
// the model turn: what comes before is the prompt (masked out of the loss, and what
// generation starts from), what comes after is the completion the model learns.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataError } from '../errors';
import { START_OF_TURN, END_OF_TURN } from './tokenizer';

export const MODEL_TURN = `${START_OF_TURN}model\n`;

export interface SftRecord {
  id: string;
  /** Everything up to and including "<start_of_turn>model\n". */
  prompt: string;
  /** The model turn after the marker (ends with <end_of_turn>); empty when the record has none. */
  completion: string;
  finalAnswer?: string;
  metadata: Record<string, unknown>;
  /** The full rendered text (for classifiers). */
  text: string;
  line: number;
}

export type SplitName = 'train' | 'val' | 'test';

interface JsonlLine {
  line: number;
  value: Record<string, unknown>;
}

const MAX_REPORTED = 5;

/** Parses a JSONL file; every bad line is reported (the first few in full) with its number. */
export function readJsonl(file: string, split: SplitName): JsonlLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw dataError(`Cannot read the ${split} split ${file}: ${(err as Error).message}.`);
  }
  const out: JsonlLine[] = [];
  const bad: string[] = [];
  let badCount = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw) continue;
    try {
      const value = JSON.parse(raw);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
      out.push({ line: i + 1, value });
    } catch (err) {
      badCount++;
      if (bad.length < MAX_REPORTED) bad.push(`line ${i + 1}: ${(err as Error).message}`);
    }
  }
  if (badCount) {
    throw dataError(`${path.basename(file)} (${split} split) has ${badCount} line(s) that are not JSON objects: ${bad.join('; ')}${badCount > bad.length ? '; ...' : ''}. Each line must be one JSON object.`);
  }
  return out;
}

/**
 * Reads SFT records. Train and val records must contain a model turn; test records may be
 * the user turn only (or even a plain prompt, which is wrapped in the template).
 */
export function readSftRecords(file: string, split: SplitName): SftRecord[] {
  const rows = readJsonl(file, split);
  const problems: string[] = [];
  let problemCount = 0;
  const note = (msg: string) => {
    problemCount++;
    if (problems.length < MAX_REPORTED) problems.push(msg);
  };
  const records: SftRecord[] = [];
  const ids = new Set<string>();
  for (const { line, value } of rows) {
    const text = value.prompts;
    if (typeof text !== 'string' || !text) {
      const hint = 'response' in value || 'messages' in value ? ' (this looks like another export format; export the dataset as tunix_sft)' : '';
      note(`line ${line}: "prompts" must be a non-empty string (the rendered tunix_sft text)${hint}`);
      continue;
    }
    const idValue = value.id;
    const id = typeof idValue === 'string' || typeof idValue === 'number' ? String(idValue) : `${split}-line-${line}`;
    if (ids.has(id)) {
      note(`line ${line}: id "${id}" appears twice`);
      continue;
    }
    ids.add(id);
    const at = text.lastIndexOf(MODEL_TURN);
    let prompt: string;
    let completion: string;
    if (at >= 0) {
      prompt = text.slice(0, at + MODEL_TURN.length);
      completion = text.slice(at + MODEL_TURN.length);
    } else if (split === 'test' && !text.includes(START_OF_TURN)) {
      prompt = `${START_OF_TURN}user\n${text}${END_OF_TURN}\n${MODEL_TURN}`;
      completion = '';
    } else {
      note(`line ${line}: "prompts" has no model turn ("<start_of_turn>model\\n"); export the dataset in the tunix_sft format`);
      continue;
    }
    if (split !== 'test' && !completion.replace(END_OF_TURN, '').trim()) {
      note(`line ${line}: the model turn is empty, so there is nothing to learn`);
      continue;
    }
    const fa = value.final_answer;
    const metadata = value.metadata;
    records.push({
      id,
      prompt,
      completion,
      finalAnswer: typeof fa === 'string' ? fa : typeof fa === 'number' ? String(fa) : undefined,
      metadata: typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {},
      text,
      line,
    });
  }
  if (problemCount) {
    throw dataError(`${path.basename(file)} (${split} split): ${problemCount} bad record(s): ${problems.join('; ')}${problemCount > problems.length ? '; ...' : ''}.`);
  }
  if (!records.length && split === 'train') throw dataError(`${path.basename(file)} (train split) holds no records. Build a dataset with at least one trace.`);
  return records;
}
