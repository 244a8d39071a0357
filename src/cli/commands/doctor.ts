import * as path from 'node:path';
import type { CliCommand } from '../command';
import { EXIT, parse, printJson } from '../command';
import { formatDoctor, runDoctor } from '../../core/env/doctor';
import { DEFAULT_DATABASE_RELATIVE } from '../../core/env/paths';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Report the Node version, the training backends this machine can use and the database location',
  help: `Usage: tunix-rt doctor [--db PATH] [--skip-gpu-probe] [--json]

Reports the Node version, the TensorFlow.js backends available here (best first) and
the database location.

Options:
  --db PATH      database file (default: ${DEFAULT_DATABASE_RELATIVE} under the current folder)
  --skip-gpu-probe  do not ask the WebGPU package for a hardware adapter (saves ~1 s)
  --json         print the report as JSON
  -h, --help     show this help`,
  async run(argv, io) {
    const { values } = parse('doctor', argv, { db: { type: 'string' }, 'skip-gpu-probe': { type: 'boolean' }, json: { type: 'boolean' } }, false);
    if (values.help) return io.out(this.help + '\n'), EXIT.ok;
    const databasePath = path.resolve(values.db ?? DEFAULT_DATABASE_RELATIVE);
    const report = await runDoctor({ databasePath, probeGpu: !values['skip-gpu-probe'] });
    if (values.json) printJson(io, report);
    else io.out(formatDoctor(report) + '\n');
    return EXIT.ok;
  },
};
