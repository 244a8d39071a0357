// `llm_judge@v1`: asks a model behind an OpenAI-compatible endpoint (POST
// {url}/chat/completions) whether a prediction gives the expected answer. For open-ended
// answers the string and number rules of answer_correctness cannot decide.
// Every request is bounded: a timeout, a cap on the response size, a few retries on 429/5xx
// and network errors, and a small number of requests in flight. The API key is an argument
// (the extension reads it from SecretStorage, the CLI from an environment variable); it is
// sent only in the Authorization header and never stored with results.
import { UserError } from '../../errors';
import type { EvalItem, ItemVerdict, Judge } from './types';

export interface LlmJudgeOptions {
  /** Base URL such as http://127.0.0.1:8000/v1, or the full .../chat/completions URL. */
  url: string;
  model: string;
  /** Bearer token; empty or undefined sends no Authorization header (local servers). */
  apiKey?: string;
  /** Per request, default 60 s. */
  timeoutMs?: number;
  /** Retries after the first try on 429, 5xx and network errors, default 2. */
  retries?: number;
  /** Requests in flight at once, default 4. */
  concurrency?: number;
  /** Largest response body read, default 1 MiB. */
  maxResponseBytes?: number;
  /** Base delay between retries, default 500 ms (doubles each time). */
  retryDelayMs?: number;
}

export const LLM_JUDGE_ID = 'llm_judge@v1';
/** Longest prompt / expected / predicted text sent per item (keeps requests bounded). */
const MAX_FIELD_CHARS = 8_000;

const SYSTEM_PROMPT = [
  'You grade answers to questions. You are given a question, the reference answer and a candidate answer.',
  'Decide whether the candidate gives the same final answer as the reference. Ignore formatting, wording and',
  'reasoning style; judge only whether the final answer is right. Reply with JSON only, exactly:',
  '{"correct": true or false, "reason": "<one short sentence>"}',
].join(' ');

export function chatCompletionsUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`The LLM judge URL "${url}" is not a valid URL. Use the endpoint's base URL, e.g. http://127.0.0.1:8000/v1.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserError(`The LLM judge URL "${url}" must start with http:// or https://.`);
  }
  const base = url.replace(/\/+$/, '');
  return base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
}

/**
 * The origin (scheme, host, port) a key belongs to: a key entered for one origin is never
 * sent to another, whatever a setting says later.
 */
export function endpointOrigin(url: string): string {
  return new URL(chatCompletionsUrl(url)).origin;
}

function clip(s: string): string {
  return s.length > MAX_FIELD_CHARS ? `${s.slice(0, MAX_FIELD_CHARS)}… [${s.length - MAX_FIELD_CHARS} more characters cut]` : s;
}

export function buildMessages(item: EvalItem, prediction: string): Array<{ role: string; content: string }> {
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: `Question:\n${clip(item.prompt)}\n\nReference answer:\n${clip(item.expected_answer)}\n\nCandidate answer:\n${clip(prediction)}` },
  ];
}

/**
 * Reads the model's verdict: the JSON object we asked for (also inside a ```json fence or
 * with text around it), else a reply that starts with CORRECT / INCORRECT / yes / no.
 */
export function parseVerdict(content: string): { correct: boolean; reason: string } | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(content);
  const candidates = [fenced?.[1], /\{[\s\S]*\}/.exec(content)?.[0]].filter((c): c is string => !!c);
  for (const c of candidates) {
    try {
      const obj = JSON.parse(c) as { correct?: unknown; reason?: unknown };
      if (typeof obj.correct === 'boolean') return { correct: obj.correct, reason: typeof obj.reason === 'string' ? obj.reason : '' };
      if (obj.correct === 'true' || obj.correct === 'false') return { correct: obj.correct === 'true', reason: typeof obj.reason === 'string' ? obj.reason : '' };
    } catch {
      // not JSON; try the next form
    }
  }
  const word = /^\W*(correct|incorrect|yes|no|true|false)\b/i.exec(content.trim())?.[1]?.toLowerCase();
  if (word) return { correct: word === 'correct' || word === 'yes' || word === 'true', reason: content.trim().slice(0, 300) };
  return undefined;
}

/** Reads at most `max` bytes of a response body; a longer one is an error, not a hang. */
async function readBounded(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new UserError(`The LLM judge endpoint sent more than ${max} bytes for one answer; check the URL points at a chat completions endpoint.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

class RetryableError extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

export function createLlmJudge(opts: LlmJudgeOptions): Judge {
  const endpoint = chatCompletionsUrl(opts.url);
  if (!opts.model.trim()) throw new UserError('The LLM judge needs a model name (setting tunix.eval.llmJudge.model or --llm-model).');
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const retries = opts.retries ?? 2;
  const maxBytes = opts.maxResponseBytes ?? 1024 * 1024;
  const retryDelayMs = opts.retryDelayMs ?? 500;
  const host = new URL(endpoint).host;

  async function once(item: EvalItem, prediction: string, signal?: AbortSignal): Promise<ItemVerdict> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
        body: JSON.stringify({ model: opts.model, temperature: 0, max_tokens: 256, messages: buildMessages(item, prediction) }),
        signal: combined,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      if (timeout.aborted) throw new RetryableError(`no answer from ${host} within ${timeoutMs / 1000} s`);
      throw new RetryableError(`cannot reach ${host}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
    }
    const body = await readBounded(res, maxBytes);
    if (res.status === 429 || res.status >= 500) {
      const after = Number(res.headers.get('retry-after'));
      throw new RetryableError(`${host} answered HTTP ${res.status}`, Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 10_000) : undefined);
    }
    if (res.status === 401 || res.status === 403) {
      throw new UserError(`The LLM judge endpoint ${host} refused the API key (HTTP ${res.status}). Set the key with "Tunix: Set LLM Judge API Key" (or TUNIX_LLM_JUDGE_API_KEY for the CLI).`);
    }
    if (!res.ok) throw new UserError(`The LLM judge endpoint ${host} answered HTTP ${res.status}: ${body.slice(0, 300)}`);
    let content: unknown;
    try {
      content = (JSON.parse(body) as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message?.content;
    } catch {
      throw new UserError(`The LLM judge endpoint ${host} did not answer with JSON; is ${endpoint} an OpenAI-compatible chat completions endpoint?`);
    }
    if (typeof content !== 'string') throw new UserError(`The LLM judge endpoint ${host} answered without choices[0].message.content.`);
    const verdict = parseVerdict(content);
    if (!verdict) {
      // A model that ignores the format is judged wrong for that item rather than failing the
      // whole evaluation; the raw reply is kept so people can see why.
      return { score: 0, correct: false, details: { reason: 'the judge model did not answer in the requested format', raw: content.slice(0, 500), model: opts.model } };
    }
    return { score: verdict.correct ? 1 : 0, correct: verdict.correct, details: { reason: verdict.reason, model: opts.model } };
  }

  return {
    id: LLM_JUDGE_ID,
    description: 'asks a model behind an OpenAI-compatible endpoint whether the prediction gives the reference answer',
    kind: 'correctness',
    concurrency: opts.concurrency ?? 4,
    async judge(item, prediction, ctx) {
      if (prediction === undefined) return { score: 0, correct: false, details: { reason: 'no prediction for this item' } };
      let lastError: RetryableError | undefined;
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0) await sleep(lastError?.retryAfterMs ?? retryDelayMs * 2 ** (attempt - 1), ctx.signal);
        try {
          return await once(item, prediction, ctx.signal);
        } catch (err) {
          if (!(err instanceof RetryableError)) throw err;
          lastError = err;
        }
      }
      throw new UserError(`The LLM judge failed on item "${item.id}" after ${retries + 1} tries: ${lastError?.message}. Check the URL (setting tunix.eval.llmJudge.url) and that the server is running.`);
    },
  };
}
