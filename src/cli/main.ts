// `tunix-rt`: the headless command line over src/core (scripts, CI, benchmarks, the demo).
import { COMMANDS } from './commands';
import { EXIT, type Io } from './command';
import { isUserError } from '../core/errors';
import { VERSION } from '../core/version';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `tunix-rt ${VERSION}: reasoning traces, datasets, training runs and evaluation on a local database`,
    '',
    'Usage: tunix-rt <command> [options]      (tunix-rt <command> --help for details)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --version   print the version',
    '  -h, --help  show this help',
    '',
    'Exit codes: 0 success, 1 the command ran and found problems or failed, 2 it could not run.',
  ].join('\n');
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    io.out(usage() + '\n');
    return first ? EXIT.ok : EXIT.usage;
  }
  if (first === '--version' || first === '-V') {
    io.out(VERSION + '\n');
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    io.err(`tunix-rt: unknown command "${first}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}. Run \`tunix-rt --help\`.\n`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (isUserError(err)) {
      io.err(`tunix-rt ${command.name}: ${err.message}\n`);
      return err.exitCode;
    }
    io.err(`tunix-rt ${command.name}: internal error: ${(err as Error).stack ?? err}\n`);
    return EXIT.usage;
  }
}

if (require.main === module) {
  const io: Io = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    interactive: !!process.stderr.isTTY,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`tunix-rt: ${(err as Error).stack ?? err}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
