/**
 * The problems the trace validator reports and their stable codes. One table serves the
 * validator, the CLI, the VS Code diagnostics and docs/diagnostics.md (a unit test keeps the
 * docs in step with it).
 *
 * Positions: `line` and `column` are 1-based; `endLine`/`endColumn` are exclusive (the
 * position just after the last character of the range), so a one-character range at the
 * start of line 3 is line 3, column 1 to line 3, column 2. Columns count UTF-16 code units,
 * the unit of JavaScript strings and of VS Code's `Position.character` (characters outside
 * the Basic Multilingual Plane such as emoji count twice).
 */

export type Severity = 'error' | 'warning';

export interface TraceProblem {
  code: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ProblemCode {
  code: string;
  severity: Severity;
  /** Short title used in docs headings and quick-fix titles. */
  title: string;
}

/** Errors: tunix-rt would reject the record. Warnings: valid but suspicious. */
export const CODES = {
  invalidJson: { code: 'TRC001', severity: 'error', title: 'Invalid JSON' },
  notAnObject: { code: 'TRC002', severity: 'error', title: 'Record is not a JSON object' },
  missingField: { code: 'TRC003', severity: 'error', title: 'Missing required field' },
  wrongType: { code: 'TRC004', severity: 'error', title: 'Wrong type' },
  emptyString: { code: 'TRC005', severity: 'error', title: 'Empty string' },
  tooLong: { code: 'TRC006', severity: 'error', title: 'Text longer than the limit' },
  stepCount: { code: 'TRC007', severity: 'error', title: 'Number of steps out of range' },
  badStepIndex: { code: 'TRC008', severity: 'error', title: 'Step index is not an integer >= 0' },
  duplicateStepIndex: { code: 'TRC009', severity: 'error', title: 'Duplicate step index' },
  bareStringStep: { code: 'TRC010', severity: 'error', title: 'Step is a bare string' },
  invalidUtf8: { code: 'TRC011', severity: 'error', title: 'Bytes that are not UTF-8' },
  unknownField: { code: 'TRC101', severity: 'warning', title: 'Unknown field' },
  stepsOutOfOrder: { code: 'TRC102', severity: 'warning', title: 'Steps out of index order' },
  answerNotInSteps: { code: 'TRC103', severity: 'warning', title: 'No step mentions the final answer' },
  duplicateTrace: { code: 'TRC104', severity: 'warning', title: 'Trace repeated in the file' },
  repeatedKey: { code: 'TRC105', severity: 'warning', title: 'Key repeated in an object' },
} as const satisfies Record<string, ProblemCode>;

export type CodeName = keyof typeof CODES;

export const ALL_CODES: ProblemCode[] = Object.values(CODES);

/** Anchor of a code's section in docs/diagnostics.md (GitHub-style heading slug). */
export function docAnchor(code: string): string {
  return code.toLowerCase();
}

/** `12,345`: limits and lengths in messages read better with separators. */
export function fmt(n: number): string {
  // Not toLocaleString: Intl formatting costs microseconds per call, on the hot error path.
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
