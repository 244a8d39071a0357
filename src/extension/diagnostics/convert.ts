// Core problems -> vscode.Diagnostic, with the code linked to its section of the bundled
// docs/diagnostics.md (a file URI with a #L<line> fragment works offline and opens the
// docs at the section).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TraceProblem } from '../../core/trace/problems';

export const DIAGNOSTIC_SOURCE = 'tunix-rt';

export class DocLinks {
  private lines: Map<string, number> | undefined;
  constructor(private readonly docsFile: string) {}

  private headingLines(): Map<string, number> {
    if (this.lines) return this.lines;
    this.lines = new Map();
    try {
      fs.readFileSync(this.docsFile, 'utf8')
        .split('\n')
        .forEach((l, k) => {
          const m = /^## (TRC\d{3})\b/.exec(l);
          if (m) this.lines!.set(m[1], k + 1);
        });
    } catch {
      // Missing docs (a development build without them): links open the file top.
    }
    return this.lines;
  }

  target(code: string): vscode.Uri {
    const line = this.headingLines().get(code);
    return vscode.Uri.file(this.docsFile).with({ fragment: line ? `L${line}` : '' });
  }
}

export function docLinks(distDir: string): DocLinks {
  return new DocLinks(path.join(distDir, 'docs', 'diagnostics.md'));
}

export function toDiagnostic(p: TraceProblem, links: DocLinks): vscode.Diagnostic {
  const range = new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, p.endColumn - 1);
  const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: p.code, target: links.target(p.code) };
  return d;
}

/** The note added when a file has more problems than the per-file limit. */
export function truncatedDiagnostic(shown: number, total: number): vscode.Diagnostic {
  const d = new vscode.Diagnostic(
    new vscode.Range(0, 0, 0, 0),
    `Showing the first ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} problems in this file (setting tunix.traces.validation.maxProblemsPerFile). Run \`tunix-rt validate\` for the full list.`,
    vscode.DiagnosticSeverity.Information,
  );
  d.source = DIAGNOSTIC_SOURCE;
  return d;
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}
