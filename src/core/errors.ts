/**
 * An error a user can cause and fix (bad file, bad flag, missing backend). Its message says
 * what was wrong and what to do; callers show it as is, without a stack trace.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof Error && err.name === 'UserError';
}
