// `tunix-rt eval`: scores a run's predictions (or a predictions file) against eval items with
// a judge, prints the scorecard and stores the evaluation with every item's result.
import type { CliCommand } from '../command';
import { EXIT, parse, printJson } from '../command';
import { UserError } from '../../core/errors';
import { DEFAULT_JUDGE_ID, listJudges, resolveJudge } from '../../core/eval/judges/registry';
import { LLM_JUDGE_ID } from '../../core/eval/judges/llmJudge';
import { formatScorecard } from '../../core/eval/format';

const judgeList = listJudges()
  .map((j) => `                       ${j.id.padEnd(22)} ${j.description}`)
  .join('\n');

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: "Score a run's predictions (or a predictions file) with a judge and store the scorecard",
  help: `Usage: tunix-rt eval (RUN_ID --db PATH | --predictions FILE --items FILE) [--judge NAME] [--json]

Judges each eval item's prediction, prints the scorecard (n_items, n_scored, primary_score
in [0, 1], stddev, min/max, 95% interval, breakdowns by section, category and difficulty)
and, with --db, stores the evaluation with every item's result for the leaderboard, run
comparison and regression baselines.

A run (RUN_ID, a unique prefix is enough) is judged on its test split with its
predictions.jsonl; --items and --predictions replace either. Without a run, both files
are needed; --db then stores the result too.

Options:
  --db PATH            the database (required with RUN_ID)
  --items FILE         eval items, one {"id", "prompt", "expected_answer", "section"?,
                       "category"?, "difficulty"?} per line
  --predictions FILE   predictions, one {"id" (or "trace_id"), "prediction"} per line
  --judge NAME         the judge (default ${DEFAULT_JUDGE_ID}); a name without @version means
                       its newest version, except answer_correctness (its versions score
                       differently: give @v1 or @v2). Results record the full name.
${judgeList}
  --llm-url URL        ${LLM_JUDGE_ID}: the OpenAI-compatible endpoint (e.g. http://127.0.0.1:8000/v1);
                       its API key is read from the environment variable TUNIX_LLM_JUDGE_API_KEY
  --llm-model NAME     ${LLM_JUDGE_ID}: the model that judges
  --no-save            with --db, do not store the evaluation
  --per-item           with --json, include every item's result
  --json               print the scorecard as JSON: {"judge", "n_items", "n_scored",
                       "primary_score", ...}
  -h, --help           show this help

Exit codes: 0 evaluated, 2 could not evaluate (bad files, unknown run or judge).`,
  async run(argv, io) {
    const { values, positionals } = parse('eval', argv, {
      db: { type: 'string' },
      items: { type: 'string' },
      predictions: { type: 'string' },
      judge: { type: 'string' },
      'llm-url': { type: 'string' },
      'llm-model': { type: 'string' },
      'no-save': { type: 'boolean' },
      'per-item': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.help) return io.out(this.help + '\n'), EXIT.ok;
    if (positionals.length > 1) throw new UserError(`eval takes one RUN_ID, got ${positionals.length}: ${positionals.join(' ')}. Run \`tunix-rt eval --help\` for usage.`);
    const runId = positionals[0];
    if (runId !== undefined && !values.db) throw new UserError('Evaluating a run needs its database: add --db PATH (or give --predictions FILE --items FILE instead of RUN_ID).');
    if (runId === undefined && (!values.items || !values.predictions)) {
      throw new UserError(`Give a run (RUN_ID --db PATH) or both files (--predictions FILE --items FILE)${values.items || values.predictions ? `; --${values.items ? 'predictions' : 'items'} is missing` : ''}. Run \`tunix-rt eval --help\` for usage.`);
    }
    const judgeId = values.judge ?? DEFAULT_JUDGE_ID;
    const llm = values['llm-url'] ? { url: values['llm-url'], model: values['llm-model'] ?? '', apiKey: process.env.TUNIX_LLM_JUDGE_API_KEY } : undefined;
    const judge = resolveJudge(judgeId, { llm });
    const judgeConfig = judge.id === LLM_JUDGE_ID && llm ? { url: llm.url, model: llm.model } : null;

    const { evaluateSources } = await import('../../core/eval/evaluateSources');
    const store = values.db ? await (await import('../../core/store')).openStore(values.db, { purpose: 'tunix-rt eval' }) : undefined;
    try {
      let lastDraw = 0;
      const { result, meta, stored } = await evaluateSources({
        judge,
        judgeConfig,
        store,
        runId,
        itemsPath: values.items,
        predictionsPath: values.predictions,
        save: store ? !values['no-save'] : false,
        onProgress: (done, total) => {
          // Only network judges take long enough to need a progress line.
          if (!io.interactive || judge.concurrency === undefined) return;
          const now = Date.now();
          if (now - lastDraw > 200 || done === total) (lastDraw = now), io.err(`\rjudging ${done}/${total}${done === total ? '\n' : ''}`);
        },
      });
      if (values.json) {
        printJson(io, {
          ...result.scorecard,
          judge: result.judge,
          evaluation_id: stored?.id ?? null,
          run_id: meta.runId,
          dataset_key: meta.datasetKey,
          model: meta.model,
          items_source: meta.itemsSource,
          predictions_source: meta.predictionsSource,
          judge_config: meta.judgeConfig,
          match: result.match,
          ...(values['per-item'] ? { items: result.items } : {}),
        });
      } else {
        const where = meta.runId ? `run ${meta.runId} (${meta.runName}, ${meta.model})\n` : '';
        io.out(where + formatScorecard(result.scorecard, result.match) + '\n');
        if (stored) io.out(`\nStored as evaluation ${stored.id}.\n`);
      }
      return EXIT.ok;
    } finally {
      await store?.close();
    }
  },
};
