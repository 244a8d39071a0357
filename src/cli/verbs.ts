// Commands made of verbs (`tunix-rt runs list|show|...`, `models`, `traces`): their help texts
// and the choice of the verb, written once so every such command reads and fails alike.
import { DB_HELP } from './database';
import { UserError } from '../core/errors';

export interface VerbSpec {
  usage: string;
  summary: string;
  /** The verb's own options, one per line, indented by two spaces. */
  details: string;
}

const sentence = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}.`;

/** `tunix-rt <command> <verb> --help`: usage, summary, its options, the database options. */
export function verbHelp(spec: VerbSpec, footer = ''): string {
  return `Usage: ${spec.usage} [--db PATH]\n\n${sentence(spec.summary)}\n\nOptions:\n${spec.details}\n${DB_HELP}\n  -h, --help         show this help${footer ? `\n\n${footer}` : ''}`;
}

/** `tunix-rt <command> --help`: what the command is for, then each verb with its summary. */
export function commandHelp(command: string, about: string, verbs: Record<string, VerbSpec>): string {
  const names = Object.keys(verbs);
  const width = Math.max(...names.map((n) => n.length));
  return `Usage: tunix-rt ${command} <${names.join('|')}> [options]

${about}

Verbs:
${names.map((k) => `  ${k.padEnd(width)}  ${verbs[k].summary}`).join('\n')}

Options shared by all verbs:
${DB_HELP}
  -h, --help         show this help`;
}

/**
 * The verb argv starts with, or undefined when argv asks for the command's help (or is empty:
 * the caller prints the help and exits 2). Unknown verbs are a UserError naming the known ones.
 */
export function chooseVerb<V extends string>(command: string, verbs: Record<V, VerbSpec>, argv: readonly string[]): V | undefined {
  const first = argv[0];
  if (!first || first === '--help' || first === '-h') return undefined;
  if (first.startsWith('-')) throw new UserError(`Give a verb before the options (${Object.keys(verbs).join(', ')}), e.g. \`tunix-rt ${command} ${Object.keys(verbs)[0]} ${argv.join(' ')}\`.`);
  if (!Object.prototype.hasOwnProperty.call(verbs, first)) {
    throw new UserError(`Unknown verb "${first}"; use one of ${Object.keys(verbs).join(', ')}. Run \`tunix-rt ${command} --help\` for usage.`);
  }
  return first as V;
}
