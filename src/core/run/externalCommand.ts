// External trainers: any command (a JAX/Tunix script, a PyTorch or Hugging Face trainer)
// given as an argument array with placeholders. Spawned without a shell, and only where the
// workspace is trusted: a command from workspace settings is code the user did not write.
import { UserError } from '../errors';

export const PLACEHOLDERS = {
  dataset: 'the whole exported dataset (all splits, tunix_sft JSONL)',
  train: 'the train split (tunix_sft JSONL)',
  val: 'the validation split (tunix_sft JSONL)',
  test: 'the test split (tunix_sft JSONL)',
  output_dir: 'the run folder: write metrics.jsonl (or trainer_state.json), checkpoints and predictions.jsonl here',
  config: "the run's config.json (hyperparameters, seed, data paths)",
  run_id: 'the run id',
} as const;
export type PlaceholderName = keyof typeof PLACEHOLDERS;
export type PlaceholderValues = Partial<Record<PlaceholderName, string>>;

const PLACEHOLDER_RE = /\$\{([^}]*)\}/g;

/** Fills `${name}` placeholders in every argument; unknown or unavailable ones are errors that say which. */
export function expandCommand(template: readonly string[], values: PlaceholderValues): string[] {
  if (template.length === 0 || !template[0]?.trim()) {
    throw new UserError('The external trainer command is empty. Give the program and its arguments, for example ["python3", "train.py", "--data", "${train}", "--output", "${output_dir}"].');
  }
  return template.map((arg, index) =>
    arg.replace(PLACEHOLDER_RE, (_m, name: string) => {
      if (!(name in PLACEHOLDERS)) {
        throw new UserError(
          `Unknown placeholder \${${name}} in argument ${index + 1} ("${arg}") of the trainer command. Known: ${Object.keys(PLACEHOLDERS)
            .map((k) => `\${${k}}`)
            .join(', ')}.`,
        );
      }
      const v = values[name as PlaceholderName];
      if (v === undefined) {
        throw new UserError(`The trainer command uses \${${name}} (${PLACEHOLDERS[name as PlaceholderName]}), but this dataset has no such split. Remove it from the command or rebuild the dataset with that split.`);
      }
      return v;
    }),
  );
}

export function assertTrustedForExternal(trusted: boolean): void {
  if (!trusted) {
    throw new UserError(
      'External trainer commands run only in a trusted workspace (a command from workspace settings could run anything). Trust this workspace (Manage Workspace Trust) or use a built-in recipe.',
    );
  }
}

/**
 * An argument array as one line a person can read and paste back (what splitCommandLine
 * reads): arguments with spaces, quotes or backslashes are written as JSON strings.
 */
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map((a) => (a === '' || /[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

/**
 * Splits a one-line command the way a user types it in an input box: whitespace separates
 * arguments; "double" and 'single' quotes group; a backslash escapes the next character
 * inside double quotes and outside quotes. Nothing is expanded: no variables, globs or pipes.
 */
export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inArg = true;
    } else if (/\s/.test(c)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else if (c === '\\' && i + 1 < line.length && process.platform !== 'win32') {
      current += line[++i];
      inArg = true;
    } else {
      current += c;
      inArg = true;
    }
  }
  if (quote) throw new UserError(`The command has an unclosed ${quote} quote: ${line}`);
  if (inArg) args.push(current);
  return args;
}
