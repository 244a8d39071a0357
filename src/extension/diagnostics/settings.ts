// The diagnostics settings (tunix.traces.validation.*), read in one place.
import * as vscode from 'vscode';

export interface ValidationSettings {
  enabled: boolean;
  include: string[];
  detectJsonl: boolean;
  exclude: string[];
  debounceMs: number;
  maxProblems: number;
}

export function readSettings(scope?: vscode.Uri): ValidationSettings {
  const c = vscode.workspace.getConfiguration('tunix.traces.validation', scope);
  const list = (v: unknown, fallback: string[]) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : fallback);
  return {
    enabled: c.get<boolean>('enabled', true),
    include: list(c.get('include'), ['**/*.trace.jsonl']),
    detectJsonl: c.get<boolean>('detectJsonl', true),
    exclude: list(c.get('exclude'), ['**/node_modules/**']),
    debounceMs: Math.max(0, Math.min(5000, c.get<number>('debounceMs', 150))),
    maxProblems: Math.max(1, c.get<number>('maxProblemsPerFile', 5000)),
  };
}
