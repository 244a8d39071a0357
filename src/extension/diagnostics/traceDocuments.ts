// Which documents are trace files: those matching the include globs, plus (when
// detectJsonl is on) .jsonl files whose first non-blank record looks like a trace.
import * as vscode from 'vscode';
import { looksLikeTraceLine } from '../../core/trace/detect';
import type { ValidationSettings } from './settings';

export function matchesGlobs(uri: vscode.Uri, globs: string[]): boolean {
  return globs.some((pattern) => vscode.languages.match({ pattern }, { uri, languageId: '' } as unknown as vscode.TextDocument) > 0);
}

function isJsonlPath(uri: vscode.Uri): boolean {
  return /\.jsonl$/i.test(uri.path);
}

/** The first non-blank line of the document (looks at most 1,000 lines down). */
function firstRecordLine(doc: vscode.TextDocument): string | undefined {
  const n = Math.min(doc.lineCount, 1000);
  for (let k = 0; k < n; k++) {
    const line = doc.lineAt(k);
    if (!line.isEmptyOrWhitespace) return line.text;
  }
  return undefined;
}

export function isTraceDocument(doc: vscode.TextDocument, s: ValidationSettings): boolean {
  if (!s.enabled || doc.uri.scheme === 'output' || doc.uri.scheme === 'git') return false;
  if (matchesGlobs(doc.uri, s.exclude)) return false;
  if (matchesGlobs(doc.uri, s.include)) return true;
  if (!s.detectJsonl || !(isJsonlPath(doc.uri) || doc.languageId === 'jsonl')) return false;
  const first = firstRecordLine(doc);
  return first !== undefined && looksLikeTraceLine(first);
}
