// The LLM judge against a real HTTP server on 127.0.0.1 that speaks the OpenAI chat
// completions protocol (started here, answering like a grading model would).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLlmJudge, parseVerdict, chatCompletionsUrl } from '../../../src/core/eval/judges/llmJudge';
import { evaluate } from '../../../src/core/eval/evaluate';
import type { EvalItem } from '../../../src/core/eval/judges/types';

interface Seen {
  url: string;
  auth: string | undefined;
  body: any;
}

type Reply = (body: any, res: http.ServerResponse, n: number) => void;

async function fakeServer(reply: Reply): Promise<{ url: string; seen: Seen[]; close(): Promise<void>; maxInFlight(): number }> {
  const seen: Seen[] = [];
  let inFlight = 0;
  let peak = 0;
  const server = http.createServer((req, res) => {
    let data = '';
    inFlight++;
    peak = Math.max(peak, inFlight);
    res.on('close', () => inFlight--);
    req.on('data', (d) => (data += d));
    req.on('end', () => {
      const body = JSON.parse(data);
      seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      reply(body, res, seen.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    maxInFlight: () => peak,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const chat = (res: http.ServerResponse, content: string, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content } }] }));
};

/** Grades like a model would: right when the candidate contains the reference answer. */
const grader: Reply = (body, res) => {
  const user: string = body.messages[1].content;
  const ref = /Reference answer:\n([\s\S]*?)\n\nCandidate answer:/.exec(user)![1];
  const cand = user.split('Candidate answer:\n')[1];
  setTimeout(() => chat(res, JSON.stringify({ correct: cand.includes(ref), reason: 'compared' })), 5);
};

const items: EvalItem[] = Array.from({ length: 10 }, (_, i) => ({ id: `q${i}`, prompt: `What is ${i}+${i}?`, expected_answer: String(2 * i) }));

describe('llm_judge@v1 against a local OpenAI-compatible server', () => {
  it('posts chat completions with the model, the key and the item, and reads the verdicts', async () => {
    const s = await fakeServer(grader);
    try {
      const judge = createLlmJudge({ url: s.url, model: 'grader-1', apiKey: 'sk-test', concurrency: 3 });
      const preds = items.map((it, i) => ({ id: it.id, prediction: i % 2 ? `The answer is ${it.expected_answer}` : 'no idea', line: i + 1 }));
      const r = await evaluate(items, preds, judge);
      assert.equal(r.scorecard.n_items, 10);
      assert.equal(r.scorecard.n_correct, 5);
      assert.equal(r.scorecard.primary_score, 0.5);
      assert.equal(s.seen.length, 10);
      assert.equal(s.seen[0].url, '/v1/chat/completions');
      assert.equal(s.seen[0].auth, 'Bearer sk-test');
      assert.equal(s.seen[0].body.model, 'grader-1');
      assert.equal(s.seen[0].body.temperature, 0);
      assert.ok(s.maxInFlight() <= 3, `at most 3 requests in flight, saw ${s.maxInFlight()}`);
      assert.equal(r.items[1].details.reason, 'compared');
    } finally {
      await s.close();
    }
  });

  it('sends no Authorization header without a key, and never asks about a missing prediction', async () => {
    const s = await fakeServer(grader);
    try {
      const judge = createLlmJudge({ url: `${s.url}/chat/completions`, model: 'm' });
      const r = await evaluate(items.slice(0, 2), [{ id: 'q0', prediction: '0', line: 1 }], judge);
      assert.equal(s.seen.length, 1);
      assert.equal(s.seen[0].auth, undefined);
      assert.equal(r.items[1].correct, false);
    } finally {
      await s.close();
    }
  });

  it('retries 503 and 429 (bounded) and then succeeds', async () => {
    const s = await fakeServer((body, res, n) => {
      if (n === 1) return chat(res, 'busy', 503);
      if (n === 2) {
        res.writeHead(429, { 'retry-after': '0' });
        return res.end('slow down');
      }
      grader(body, res, n);
    });
    try {
      const judge = createLlmJudge({ url: s.url, model: 'm', retries: 2, retryDelayMs: 10, concurrency: 1 });
      const v = await judge.judge(items[3], '6', {});
      assert.equal(v.correct, true);
      assert.equal(s.seen.length, 3);
    } finally {
      await s.close();
    }
  });

  it('gives up after the retries with a clear error naming the item', async () => {
    const s = await fakeServer((_b, res) => chat(res, 'down', 500));
    try {
      const judge = createLlmJudge({ url: s.url, model: 'm', retries: 1, retryDelayMs: 5 });
      await assert.rejects(() => Promise.resolve(judge.judge(items[0], '0', {})), /failed on item "q0" after 2 tries: .*HTTP 500/);
      assert.equal(s.seen.length, 2);
    } finally {
      await s.close();
    }
  });

  it('a refused key is a clear error at once, not retried', async () => {
    const s = await fakeServer((_b, res) => chat(res, 'no', 401));
    try {
      const judge = createLlmJudge({ url: s.url, model: 'm', apiKey: 'bad' });
      await assert.rejects(() => Promise.resolve(judge.judge(items[0], '0', {})), /refused the API key \(HTTP 401\)/);
      assert.equal(s.seen.length, 1);
    } finally {
      await s.close();
    }
  });

  it('times out a server that never answers', async () => {
    const s = await fakeServer(() => undefined);
    try {
      const judge = createLlmJudge({ url: s.url, model: 'm', timeoutMs: 150, retries: 0 });
      const started = Date.now();
      await assert.rejects(() => Promise.resolve(judge.judge(items[0], '0', {})), /no answer from 127\.0\.0\.1:\d+ within 0\.15 s/);
      assert.ok(Date.now() - started < 5000);
    } finally {
      await s.close();
    }
  });

  it('refuses a response larger than the cap', async () => {
    const s = await fakeServer((_b, res) => chat(res, 'x'.repeat(200_000)));
    try {
      const judge = createLlmJudge({ url: s.url, model: 'm', maxResponseBytes: 10_000 });
      await assert.rejects(() => Promise.resolve(judge.judge(items[0], '0', {})), /more than 10000 bytes/);
    } finally {
      await s.close();
    }
  });

  it('a reply in the wrong format marks the item wrong and keeps the raw reply', async () => {
    const s = await fakeServer((_b, res) => chat(res, 'I think maybe.'));
    try {
      const v = await createLlmJudge({ url: s.url, model: 'm' }).judge(items[0], '0', {});
      assert.equal(v.correct, false);
      assert.equal(v.details.raw, 'I think maybe.');
    } finally {
      await s.close();
    }
  });

  it('cannot reach a closed port: a clear error after the retries', async () => {
    const s = await fakeServer(grader);
    const url = s.url;
    await s.close();
    const judge = createLlmJudge({ url, model: 'm', retries: 1, retryDelayMs: 5 });
    await assert.rejects(() => Promise.resolve(judge.judge(items[0], '0', {})), /cannot reach 127\.0\.0\.1/);
  });

  it('parses verdicts in the forms models give them', () => {
    assert.deepEqual(parseVerdict('{"correct": true, "reason": "same"}'), { correct: true, reason: 'same' });
    assert.deepEqual(parseVerdict('```json\n{"correct": false, "reason": "off by one"}\n```'), { correct: false, reason: 'off by one' });
    assert.equal(parseVerdict('Sure! {"correct": "true"} done')?.correct, true);
    assert.equal(parseVerdict('INCORRECT. The reference says 4.')?.correct, false);
    assert.equal(parseVerdict('Correct')?.correct, true);
    assert.equal(parseVerdict('hmm'), undefined);
  });

  it('rejects bad URLs and a missing model with clear messages', () => {
    assert.throws(() => chatCompletionsUrl('not a url'), /not a valid URL/);
    assert.throws(() => chatCompletionsUrl('ftp://x/v1'), /http:\/\/ or https:\/\//);
    assert.equal(chatCompletionsUrl('http://h:1/v1/'), 'http://h:1/v1/chat/completions');
    assert.throws(() => createLlmJudge({ url: 'http://127.0.0.1:1/v1', model: ' ' }), /needs a model name/);
  });
});
