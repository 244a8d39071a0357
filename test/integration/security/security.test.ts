// The two workspace-trust holes, reproduced in the real extension host:
// 1. A workspace's settings point the LLM judge at another server: the key entered for the
//    user's endpoint never goes there; that origin is asked for its own key. Two real local
//    HTTP servers record what reaches them.
// 2. A database carried by the workspace holds queued runs of a gone process: one whose stored
//    folder is outside the workspace, one with an external command. The window's engine keeps
//    the first in <runs>/<id> (nothing written outside) and shows the second's command and
//    asks before running it (declined here: it never runs).
// The user's answers come through `services.prompts`, replaced here as a user would click.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EvaluationSummary } from '../../../src/core/eval/store/evaluations';
import { runsRootFor } from '../../../src/core/run/runFolder';
import { LEGACY_KEY_SECRET, LLM_KEYS_SECRET } from '../../../src/extension/eval/llmJudgeSettings';
import { RUNS_FEATURE_HOOK, type RunsFeatureParts } from '../../../src/extension/runs/feature';
import type { Prompts } from '../../../src/extension/platform/services';
import { plantRuns, queuedOrphan, shippedDatabase } from '../../fixtures/shippedDatabase';
import { activate, featureParts, packageJson, setDatabasePath, tempWorkspaceFolder, waitFor } from '../helpers';

/** A chat-completions server that records each request's Authorization header and says "correct". */
async function judgeServer(): Promise<{ url: string; origin: string; auths: Array<string | undefined>; close(): Promise<void> }> {
  const auths: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      auths.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { content: '{"correct": true, "reason": "ok"}' } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/v1`,
    origin,
    auths,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('security: workspace trust holes stay closed (integration)', function () {
  this.timeout(180_000);
  let prompts: Prompts;
  let saved: Prompts;

  before(async () => {
    prompts = (await activate()).services.prompts;
    saved = { ...prompts };
  });

  afterEach(() => Object.assign(prompts, saved));

  describe('the LLM judge key belongs to the endpoint it was entered for', () => {
    let a: Awaited<ReturnType<typeof judgeServer>>;
    let b: Awaited<ReturnType<typeof judgeServer>>;
    let dir: string;
    let files: { predictions: string; items: string };
    const judgeConfig = () => vscode.workspace.getConfiguration('tunix.eval.llmJudge');
    const evaluate = () => vscode.commands.executeCommand('tunix.evaluateRun', { ...files, judge: 'llm_judge@v1' }) as Thenable<EvaluationSummary | undefined>;

    before(async () => {
      [a, b] = [await judgeServer(), await judgeServer()];
      dir = tempWorkspaceFolder('.tunix-security-it-');
      files = { predictions: path.join(dir, 'predictions.jsonl'), items: path.join(dir, 'items.jsonl') };
      fs.writeFileSync(files.items, ['1+1', '2+2', '3+3'].map((p, k) => JSON.stringify({ id: `i${k}`, prompt: p, expected_answer: String(2 * (k + 1)) })).join('\n') + '\n');
      fs.writeFileSync(files.predictions, [0, 1, 2].map((k) => JSON.stringify({ id: `i${k}`, prediction: String(2 * (k + 1)) })).join('\n') + '\n');
      await setDatabasePath(path.join(dir, 'tunix.db'));
      // The user's own settings name server A and its model.
      await judgeConfig().update('url', a.url, vscode.ConfigurationTarget.Global);
      await judgeConfig().update('model', 'grader', vscode.ConfigurationTarget.Global);
    });

    after(async () => {
      const api = await activate();
      await api.services.context.secrets.delete(LLM_KEYS_SECRET);
      await api.services.context.secrets.delete(LEGACY_KEY_SECRET);
      for (const target of [vscode.ConfigurationTarget.Global, vscode.ConfigurationTarget.Workspace]) {
        await judgeConfig().update('url', undefined, target);
        await judgeConfig().update('model', undefined, target);
      }
      await setDatabasePath(undefined);
      await a.close();
      await b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the URL and model are restricted settings (ignored in an untrusted workspace)', () => {
      const restricted: string[] = packageJson().capabilities.untrustedWorkspaces.restrictedConfigurations;
      for (const key of ['tunix.eval.llmJudge.url', 'tunix.eval.llmJudge.model', 'tunix.database.path', 'tunix.training.externalCommand']) assert.ok(restricted.includes(key), key);
    });

    it('a key set for A goes to A only; a workspace pointing at B is asked for B\'s own key and never gets A\'s', async () => {
      const asked: string[] = [];
      prompts.secret = async (o) => (asked.push(o.title ?? ''), 'sk-for-A');
      await vscode.commands.executeCommand('tunix.setLlmJudgeApiKey');
      assert.deepEqual(asked, [`LLM Judge API Key for ${a.origin}`]);

      const e = await evaluate();
      assert.equal(e?.scorecard.primary_score, 1);
      assert.deepEqual(a.auths, ['Bearer sk-for-A', 'Bearer sk-for-A', 'Bearer sk-for-A']);
      assert.equal(asked.length, 1, 'A has its key: no question');

      // The workspace (as an attacker's .vscode/settings.json would) points the judge at B.
      await judgeConfig().update('url', b.url, vscode.ConfigurationTarget.Workspace);
      prompts.secret = async (o) => (asked.push(`${o.title}\n${o.prompt}`), undefined);
      assert.equal(await evaluate(), undefined, 'dismissing the question cancels the evaluation');
      assert.equal(asked.length, 2);
      assert.ok(asked[1].startsWith(`LLM Judge API Key for ${b.origin}`), asked[1]);
      assert.match(asked[1], /named in the workspace settings/);
      assert.deepEqual(b.auths, [], 'B got nothing');

      // Answering "no key" for B: B is asked without any key; its origin is what the evaluation records.
      prompts.secret = async () => '';
      const atB = await evaluate();
      assert.equal(b.auths.length, 3);
      assert.ok(b.auths.every((h) => h === undefined), `B received ${JSON.stringify(b.auths)}`);
      assert.equal(atB?.judgeConfig?.url, b.url);
      assert.equal(a.auths.length, 3, 'nothing more went to A');

      // Back on the user's endpoint, A's key is used again without asking.
      await judgeConfig().update('url', undefined, vscode.ConfigurationTarget.Workspace);
      prompts.secret = async () => assert.fail('asked again for a stored key');
      await evaluate();
      assert.deepEqual(a.auths.slice(3), ['Bearer sk-for-A', 'Bearer sk-for-A', 'Bearer sk-for-A']);
    });

    it('a key stored by an earlier version goes to the endpoint in the user settings, never to a workspace\'s', async () => {
      const secrets = (await activate()).services.context.secrets;
      await secrets.delete(LLM_KEYS_SECRET);
      await secrets.store(LEGACY_KEY_SECRET, 'sk-legacy');
      await judgeConfig().update('url', b.url, vscode.ConfigurationTarget.Workspace);
      const before = b.auths.length;
      prompts.secret = async () => '';
      await evaluate();
      assert.ok(b.auths.slice(before).every((h) => h === undefined), 'the legacy key did not go to B');
      assert.equal(await secrets.get(LEGACY_KEY_SECRET), undefined, 'the legacy entry is gone');
      await judgeConfig().update('url', undefined, vscode.ConfigurationTarget.Workspace);
      const atA = a.auths.length;
      await evaluate();
      assert.deepEqual(a.auths.slice(atA), ['Bearer sk-legacy', 'Bearer sk-legacy', 'Bearer sk-legacy']);
    });
  });

  describe('a database carried by the workspace cannot place runs or run commands', () => {
    let dir: string;
    let db: string;
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'tunix-outside-'));
    const marker = path.join(outside, 'external-command-ran');

    before(async function () {
      this.timeout(240_000);
      dir = tempWorkspaceFolder('.tunix-shipped-db-');
      db = path.join(dir, 'tunix.db');
      const template = await shippedDatabase(db);
      await plantRuns(db, [
        queuedOrphan(template, 'run-shipped-builtin', outside),
        queuedOrphan(template, 'run-shipped-external', outside, {
          recipe: 'external',
          backend: 'external',
          command: [process.execPath, '-e', 'require("fs").writeFileSync(process.argv[1], "ran")', marker],
        }),
      ]);
    });

    after(async () => {
      await setDatabasePath(undefined);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    });

    it('the queued built-in run trains in <runs>/<id>; the external one shows its command, and declined it never runs', async () => {
      const questions: string[] = [];
      prompts.confirmModal = async (message) => (questions.push(message), undefined);
      const api = await activate();
      await setDatabasePath(db, () => api.services.databasePath() === db);
      const engine = await featureParts<RunsFeatureParts>(RUNS_FEATURE_HOOK, 'runs').engines.get();
      const builtin = await engine.waitForEnd('run-shipped-builtin');
      const external = await engine.waitForEnd('run-shipped-external');
      assert.equal(builtin.status, 'completed', JSON.stringify(builtin.outcome));
      assert.equal(builtin.runDir, path.join(runsRootFor(db), 'run-shipped-builtin'));
      assert.ok(fs.existsSync(path.join(builtin.runDir, 'model')), 'it trained in its own folder');
      assert.deepEqual(fs.readdirSync(outside), [], 'nothing was written to the folder the database named');
      assert.equal(external.status, 'cancelled');
      assert.match(external.outcome?.reason ?? '', /not confirmed/);
      assert.equal(questions.length, 1);
      assert.ok(questions[0].includes(marker) && questions[0].includes('run-shipped-external'), questions[0]);
      assert.ok(!fs.existsSync(marker), 'the command did not run');
      await waitFor(() => !engine.list({ status: ['queued', 'running'] }).length, 'no run left active');
    });
  });
});
