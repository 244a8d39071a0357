// The shape of one `tunix-rt` subcommand and the helpers they share: argument parsing with
// `--help` everywhere, JSON or text output, and exit codes.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors';

/** Exit codes: 0 success, 1 the command ran and found problems (or the run failed), 2 could not run. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress lines are drawn only then). */
  interactive: boolean;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Full help text: usage line, description, options. */
  help: string;
  run(argv: string[], io: Io): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses argv with node's parseArgs; unknown flags and missing values become a UserError
 * that names the flag and points at --help.
 */
export function parse<O extends Options>(command: string, argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (err) {
    throw new UserError(`${(err as Error).message.replace(/\. To specify a positional.*$/s, '.')}\nRun \`tunix-rt ${command} --help\` for usage.`);
  }
}

export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2) + '\n');
}

/** Reads a required string flag or throws a UserError naming it. */
export function required(command: string, values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UserError(`Missing --${name}. Run \`tunix-rt ${command} --help\` for usage.`);
  return v;
}

/** Parses an integer flag, with a clear message when it is not one. */
export function intFlag(name: string, value: unknown, fallback?: number, min = Number.MIN_SAFE_INTEGER): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UserError(`Missing --${name}.`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UserError(`--${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}, got "${value}".`);
  return n;
}
