// `tunix-rt import FILE... --db PATH [--json]`: stream trace files (or folders of *.jsonl)
// into the database, skipping and reporting invalid lines.
import type { CliCommand } from '../command';
import { EXIT, intFlag, parse, printJson } from '../command';
import { UserError } from '../../core/errors';
import { DB_HELP, DB_OPTIONS, openCliStore } from '../database';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import trace files (JSONL, our export formats, or folders of *.jsonl) into the database',
  help: `Usage: tunix-rt import FILE... [--db PATH] [--json]

Streams each file (a folder: every *.jsonl under it) into the trace database. Every line
is validated like the editor's diagnostics do; invalid lines are skipped and listed as
FILE:LINE:COL: CODE MESSAGE. A trace whose content is already stored is a duplicate and
is not added again. Lines in our dataset export formats (trace, messages,
training_example, tunix_sft) are converted back to traces.

Options:
${DB_HELP}
  --json             print the report as JSON: {imported, duplicates, invalid, invalidLines,
                     invalidLinesTruncated, files, bytes, seconds, cancelled}
  --batch N          traces per transaction (default 2000)
  --max-invalid-lines N  how many invalid lines to list (default 1000; all are counted)
  -h, --help         show this help

Exit codes: 0 the import ran (even if some lines were invalid), 1 it was interrupted
(Ctrl+C; the batches committed before are kept), 2 it could not run (missing file, damaged
or busy database, bad flag).`,
  async run(argv, io) {
    const { values, positionals } = parse('import', argv, {
      ...DB_OPTIONS,
      json: { type: 'boolean' },
      batch: { type: 'string' },
      'max-invalid-lines': { type: 'string' },
    });
    if (values.help) return io.out(this.help + '\n'), EXIT.ok;
    if (positionals.length === 0) throw new UserError('Give one or more trace files or folders, e.g. `tunix-rt import data/traces.jsonl --db .tunix/tunix.db`.');
    const batchSize = intFlag('batch', values.batch, 2000, 1);
    const maxInvalidLines = intFlag('max-invalid-lines', values['max-invalid-lines'], 1000, 0);
    const { importTraces, expandInputs } = await import('../../core/import');
    expandInputs(positionals); // a missing file fails before the database is touched
    const store = await openCliStore(values, io, `import ${positionals.join(' ')}`.slice(0, 120));
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    let lastDraw = 0;
    try {
      const report = await importTraces(store, positionals, {
        batchSize,
        maxInvalidLines,
        signal: abort.signal,
        onProgress: (p) => {
          if (!io.interactive || values.json || Date.now() - lastDraw < 100) return;
          lastDraw = Date.now();
          const pct = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 100;
          io.err(`\r${pct}%  ${p.imported} imported, ${p.duplicates} duplicates, ${p.invalid} invalid  (file ${p.filesDone + 1}/${p.filesTotal})   `);
        },
      });
      if (io.interactive && !values.json) io.err('\r\x1b[K');
      if (values.json) printJson(io, report);
      else {
        for (const l of report.invalidLines) io.out(`${l.file}:${l.line}:${l.column ?? 1}: ${l.code} ${l.message}\n`);
        if (report.invalidLinesTruncated) io.out(`... and ${report.invalid - report.invalidLines.length} more invalid lines.\n`);
        const rate = report.seconds > 0 ? ` in ${report.seconds.toFixed(1)} s` : '';
        io.err(
          `${report.cancelled ? 'Interrupted: ' : ''}${report.imported} imported, ${report.duplicates} duplicates, ${report.invalid} invalid` +
            ` (${report.files.length} file${report.files.length === 1 ? '' : 's'}${rate}) into ${store.path}.\n`,
        );
      }
      return report.cancelled ? EXIT.problems : EXIT.ok;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await store.close();
    }
  },
};
