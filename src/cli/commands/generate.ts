// `tunix-rt generate TASK --count N --seed S --out FILE`: synthetic reasoning traces as JSONL.
import * as path from 'node:path';
import type { CliCommand } from '../command';
import { EXIT, intFlag, parse, printJson, required } from '../command';
import { UserError } from '../../core/errors';
import { generateTraces, MAX_GENERATE_COUNT, parseDifficulties, parseTask, TASK_CHOICES, TASKS, TASK_NAMES } from '../../core/generate';
import { writeLinesAtomically } from '../../core/dataset/jsonlFile';
import type { TraceRecord } from '../../core/trace/types';

const taskList = [...TASK_NAMES.map((n) => `  ${n.padEnd(15)}${TASKS[n].summary}`), `  ${'mixed'.padEnd(15)}all of the above, dealt in shuffled rounds`].join('\n');

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Write synthetic reasoning traces (arithmetic, strings, comparisons, units, cards) as JSONL',
  help: `Usage: tunix-rt generate TASK --count N --seed S --out FILE [--difficulty D] [--json]

Writes N valid reasoning traces of TASK to FILE (JSONL, one trace per line). The same seed
always gives the same traces, and the first N of a larger count are the same N. Every
answer is correct, and the steps carry the work (columns with carries, characters read
backwards, cards and their ranks...). No prompt repeats within one file.

Tasks:
${taskList}

Options:
  --count N        how many traces (default 100, at most ${MAX_GENERATE_COUNT})
  --seed S         integer seed (default 1)
  --out FILE       where to write; "-" writes to standard output
  --difficulty D   easy, medium, hard, a comma list of them, or all (default all)
  --json           print a JSON summary {task, count, seed, difficulties, out, bytes, by_task}
  -h, --help       show this help`,
  async run(argv, io) {
    const { values, positionals } = parse('generate', argv, {
      count: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      difficulty: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return io.out(this.help + '\n'), EXIT.ok;
    if (positionals.length !== 1) {
      throw new UserError(`Give one task (${TASK_CHOICES.join(', ')}), got ${positionals.length ? positionals.join(' ') : 'none'}. Run \`tunix-rt generate --help\` for usage.`);
    }
    const task = parseTask(positionals[0]);
    const count = intFlag('count', values.count, 100, 0);
    if (count > MAX_GENERATE_COUNT) throw new UserError(`--count must be at most ${MAX_GENERATE_COUNT}, got ${count}.`);
    const seed = intFlag('seed', values.seed, 1);
    const out = required('generate', values, 'out');
    const difficulties = parseDifficulties(values.difficulty ?? 'all');

    const byTask: Record<string, number> = {};
    const lines = function* () {
      for (const trace of generateTraces({ task, count, seed, difficulties })) {
        const name = String((trace as TraceRecord).meta?.task_type);
        byTask[name] = (byTask[name] ?? 0) + 1;
        yield JSON.stringify(trace) + '\n';
      }
    };
    let bytes = 0;
    if (out === '-') {
      for (const line of lines()) {
        io.out(line);
        bytes += Buffer.byteLength(line);
      }
    } else {
      bytes = (await writeLinesAtomically(out, lines())).bytes;
    }
    const summary = { task, count, seed, difficulties, out: out === '-' ? '-' : path.resolve(out), bytes, by_task: byTask };
    if (values.json) {
      // With --out - the traces own stdout; the summary goes to stderr.
      if (out === '-') io.err(JSON.stringify(summary) + '\n');
      else printJson(io, summary);
    } else if (out !== '-') {
      io.out(`Wrote ${count} ${task} trace${count === 1 ? '' : 's'} (seed ${seed}, ${difficulties.join('/')}) to ${summary.out}\n`);
    }
    return EXIT.ok;
  },
};
