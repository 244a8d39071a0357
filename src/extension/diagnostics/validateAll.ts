// "Tunix: Validate All Trace Files": finds the workspace's trace files (include globs, and
// .jsonl files that look like traces) and validates each in the worker, from disk, with
// progress and cancellation. Open documents are validated live and re-used as they are.
import * as vscode from 'vscode';
import { fileLooksLikeTraces } from '../../core/trace/detect';
import type { FileSummary } from '../../core/trace/fileScan';
import type { TraceValidationService } from '../../core/trace/validationService';
import type { DocumentSync } from './documentSync';
import { readSettings } from './settings';
import { matchesGlobs } from './traceDocuments';

export interface ValidateAllResult {
  files: number;
  totals: FileSummary;
  cancelled: boolean;
}

function globOf(patterns: string[]): string | undefined {
  if (patterns.length === 0) return undefined;
  return patterns.length === 1 ? patterns[0] : `{${patterns.join(',')}}`;
}

async function traceFiles(token: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const s = readSettings();
  const exclude = globOf(s.exclude);
  const found = new Map<string, vscode.Uri>();
  for (const u of await vscode.workspace.findFiles(globOf(s.include)!, exclude, undefined, token)) found.set(u.toString(), u);
  if (s.detectJsonl) {
    for (const u of await vscode.workspace.findFiles('**/*.jsonl', exclude, undefined, token)) {
      if (found.has(u.toString()) || matchesGlobs(u, s.exclude)) continue;
      try {
        if (await fileLooksLikeTraces(u.fsPath)) found.set(u.toString(), u);
      } catch {
        // Unreadable: Validate reports nothing for a file it cannot open; the log has the walk.
      }
    }
  }
  return [...found.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

export async function validateAllTraceFiles(service: TraceValidationService, sync: DocumentSync, log: vscode.LogOutputChannel): Promise<ValidateAllResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Tunix: validating trace files', cancellable: true },
    async (progress, token) => {
      const totals: FileSummary = { lines: 0, records: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 };
      progress.report({ message: 'finding trace files…' });
      const files = await traceFiles(token);
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const maxProblems = readSettings().maxProblems;
      let done = 0;
      for (const uri of files) {
        if (token.isCancellationRequested) break;
        const name = vscode.workspace.asRelativePath(uri);
        progress.report({ message: `${done + 1}/${files.length} ${name}` });
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        let summary: FileSummary | undefined;
        if (open && sync.isTracked(uri)) {
          await sync.whenValidated(open);
          summary = sync.summaries.get(uri.toString());
        } else {
          try {
            const r = await service.validateFile(uri.fsPath, {
              signal: abort.signal,
              onProgress: (bytes, size) => progress.report({ message: `${done + 1}/${files.length} ${name} (${Math.round((100 * bytes) / Math.max(1, size))} %)` }),
            });
            const shown = r.problems.slice(0, maxProblems);
            sync.publish(uri, shown, r.summary, r.problems.length > shown.length);
            summary = r.summary;
          } catch (err) {
            if (abort.signal.aborted) break;
            log.warn(`Validate All: ${name}: ${(err as Error).message}`);
          }
        }
        if (summary) for (const k of Object.keys(totals) as Array<keyof FileSummary>) totals[k] += summary[k];
        done++;
        progress.report({ increment: 100 / Math.max(1, files.length) });
      }
      return { files: done, totals, cancelled: token.isCancellationRequested };
    },
  );
}
