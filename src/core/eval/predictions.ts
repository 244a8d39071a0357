// Predictions: one `{id | trace_id, prediction}` per JSONL line (tunix-rt's contract; its
// trainer wrote `trace_id`, ours writes `id`). Predictions may be numbers (they become text);
// `null` means the model produced nothing (judged as a missing prediction). Other fields
// (timings, token counts) are ignored.
import { UserError } from '../errors';
import { describeType, parseJsonlObjects, readTextFile, textField, throwLineProblems } from './jsonlRecords';

export interface Prediction {
  id: string;
  /** undefined when the line had `"prediction": null`. */
  prediction: string | undefined;
  line: number;
}

const HINT = 'Each line needs {"id": "...", "prediction": "..."} (or "trace_id" instead of "id").';

export function parsePredictions(text: string, path = 'predictions'): Prediction[] {
  const { lines, problems } = parseJsonlObjects(text);
  const out: Prediction[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, value } of lines) {
    const bad = (message: string) => problems.push({ line, message });
    const id = textField(value.id);
    const traceId = textField(value.trace_id);
    if (value.id !== undefined && value.id !== null && (id === undefined || id === '')) {
      bad(`"id" must be a non-empty string or a number, found ${describeType(value.id)}`);
      continue;
    }
    if (value.trace_id !== undefined && value.trace_id !== null && (traceId === undefined || traceId === '')) {
      bad(`"trace_id" must be a non-empty string or a number, found ${describeType(value.trace_id)}`);
      continue;
    }
    if (id !== undefined && traceId !== undefined && id !== traceId) {
      bad(`"id" ("${id}") and "trace_id" ("${traceId}") disagree; keep one of them`);
      continue;
    }
    const key = id ?? traceId;
    if (key === undefined) {
      bad('missing "id" (or "trace_id")');
      continue;
    }
    if (!('prediction' in value)) {
      bad(`prediction for "${key}": missing "prediction"`);
      continue;
    }
    const raw = value.prediction;
    const prediction = raw === null ? undefined : textField(raw);
    if (raw !== null && prediction === undefined) {
      bad(`prediction for "${key}": "prediction" must be a string (or a number, or null for none), found ${describeType(raw)}`);
      continue;
    }
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      bad(`a second prediction for "${key}" (first on line ${first}); keep one per item`);
      continue;
    }
    firstLineOf.set(key, line);
    out.push({ id: key, prediction, line });
  }
  if (problems.length) throwLineProblems(path, 'predictions', problems.sort((a, b) => a.line - b.line), HINT);
  return out;
}

export function readPredictions(path: string): Prediction[] {
  const predictions = parsePredictions(readTextFile(path, 'predictions'), path);
  if (predictions.length === 0) throw new UserError(`The predictions file ${path} holds no predictions.`);
  return predictions;
}
