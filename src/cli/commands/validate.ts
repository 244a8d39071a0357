import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliCommand } from '../command';
import { EXIT, parse } from '../command';
import { UserError } from '../../core/errors';
import { validateTraceFile, type FileSummary } from '../../core/trace/fileScan';
import type { TraceProblem } from '../../core/trace/problems';
import { TRACE_JSON_SCHEMA } from '../../core/trace/schema';
import { validateTraceText } from '../../core/trace/validate';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Check trace files (JSONL, or one trace per .json file) and report every problem with its exact position',
  help: `Usage: tunix-rt validate FILE... [--format text|json] [--json] [--quiet]
       tunix-rt validate --schema

Checks each trace file against the tunix-rt trace schema and reports every problem at
its exact line and column (1-based; columns count UTF-16 code units, as VS Code does).
.jsonl (and any other) files hold one trace per line; .json files hold one trace.
Codes and fixes are described in docs/diagnostics.md (TRC001...).

Options:
  --format text  one line per problem: FILE:LINE:COL: SEVERITY CODE MESSAGE, then a summary
                 on stderr (default)
  --format json  a JSON array of problems {file, line, column, endLine, endColumn, code,
                 severity, message}
  --json         same as --format json
  --quiet        text format: report errors only, no warnings
  --schema       print the trace JSON Schema (draft-07) and exit; the same schema VS Code
                 applies to *.trace.json files
  -h, --help     show this help

Exit codes: 0 no errors (warnings allowed), 1 some record has an error, 2 could not run
(a file is missing or unreadable, a bad flag).`,
  async run(argv, io) {
    const { values, positionals } = parse('validate', argv, { format: { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' }, schema: { type: 'boolean' } });
    if (values.help) return io.out(this.help + '\n'), EXIT.ok;
    if (values.schema) return io.out(JSON.stringify(TRACE_JSON_SCHEMA, null, 2) + '\n'), EXIT.ok;
    const format = values.json ? 'json' : (values.format ?? 'text');
    if (format !== 'text' && format !== 'json') throw new UserError(`--format must be "text" or "json", got "${format}". Run \`tunix-rt validate --help\` for usage.`);
    if (positionals.length === 0) throw new UserError('Give at least one trace file, e.g. `tunix-rt validate traces.jsonl`. Run `tunix-rt validate --help` for usage.');
    // Check every file first so a typo in the last name does not come after pages of output.
    for (const file of positionals) {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        throw new UserError(`File not found: ${file}. Check the path (it is relative to ${process.cwd()}).`);
      }
      if (stat.isDirectory()) throw new UserError(`${file} is a folder; give the trace files in it, e.g. \`tunix-rt validate ${path.join(file, '*.jsonl')}\`.`);
    }
    const all: Array<TraceProblem & { file: string }> = [];
    const totals: FileSummary = { lines: 0, records: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 };
    for (const file of positionals) {
      const onProblem = (p: TraceProblem) => {
        if (format === 'json') all.push({ file, ...p });
        else if (!(values.quiet && p.severity === 'warning')) io.out(`${file}:${p.line}:${p.column}: ${p.severity} ${p.code} ${p.message}\n`);
      };
      const summary = file.toLowerCase().endsWith('.json') ? validateJsonFile(file, onProblem) : (await validateTraceFile(file, { onProblem })).summary;
      for (const k of Object.keys(totals) as Array<keyof FileSummary>) totals[k] += summary[k];
    }
    if (format === 'json') {
      io.out(JSON.stringify(all.map((p) => ({ file: p.file, line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn, code: p.code, severity: p.severity, message: p.message })), null, 2) + '\n');
    } else {
      const files = positionals.length === 1 ? '1 file' : `${positionals.length} files`;
      const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
      io.err(`${files}: ${n(totals.records, 'record')}, ${totals.valid} valid, ${totals.invalid} invalid; ${n(totals.errors, 'error')}, ${n(totals.warnings, 'warning')}.\n`);
    }
    return totals.errors > 0 ? EXIT.problems : EXIT.ok;
  },
};

/** A .json file holds one trace, possibly over many lines. */
function validateJsonFile(file: string, onProblem: (p: TraceProblem) => void): FileSummary {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const r = validateTraceText(text);
  for (const p of r.problems) onProblem(p);
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  return { lines: text.split('\n').length, records: 1, valid: r.record ? 1 : 0, invalid: r.record ? 0 : 1, errors, warnings: r.problems.length - errors };
}
