// "Tunix: Import Traces...": JSONL files or folders (from a picker, the explorer's context
// menu, or a CodeLens passing a Uri) streamed into the database by core's importTraces, with
// a cancellable progress notification showing counts. At the end: a summary, and the
// invalid lines (with their reasons) in a quick pick that jumps to each one, and in the log.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImportProgress, ImportReport, InvalidLine } from '../../core/import';
import { UserError } from '../../core/errors';
import type { ExtensionContextServices } from '../platform/services';
import type { StoreService } from '../platform/storeService';

export const SHOW_INVALID_ACTION = 'Show Invalid Lines';
export const SHOW_TRACES_ACTION = 'Show Traces';

/** What the command was given: a Uri (explorer, CodeLens), the explorer's multi-selection, a path, or nothing (then it asks). */
export function inputsFromArgs(arg?: unknown, multi?: unknown): string[] | undefined {
  const toPath = (x: unknown): string | undefined => (x instanceof vscode.Uri ? x.fsPath : typeof x === 'string' && x ? x : undefined);
  if (Array.isArray(multi) && multi.length > 0) {
    const paths = multi.map(toPath).filter((p): p is string => !!p);
    if (paths.length) return paths;
  }
  if (Array.isArray(arg)) {
    const paths = arg.map(toPath).filter((p): p is string => !!p);
    return paths.length ? paths : undefined;
  }
  const one = toPath(arg);
  return one ? [one] : undefined;
}

interface SourceItem extends vscode.QuickPickItem {
  pick: 'file' | 'folder' | 'files';
  uri?: vscode.Uri;
}

/** Asks what to import: a JSONL file of the workspace, or files/a folder from a dialog. */
export async function askForInputs(): Promise<string[] | undefined> {
  const found = await vscode.workspace.findFiles('**/*.jsonl', '**/{node_modules,.git,.tunix}/**', 200);
  found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  const items: SourceItem[] = [
    { label: '$(files) Browse for JSONL files…', pick: 'files', alwaysShow: true },
    { label: '$(folder) Browse for a folder…', detail: 'Imports every .jsonl file in it and its subfolders', pick: 'folder', alwaysShow: true },
  ];
  if (found.length) {
    items.push({ label: 'In this workspace', kind: vscode.QuickPickItemKind.Separator, pick: 'file' });
    for (const uri of found) items.push({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri, true), pick: 'file', uri });
  }
  const choice = await vscode.window.showQuickPick(items, { title: 'Import Traces', placeHolder: 'Pick a JSONL file, or browse for files or a folder' });
  if (!choice) return undefined;
  if (choice.pick === 'file' && choice.uri) return [choice.uri.fsPath];
  const folder = choice.pick === 'folder';
  const picked = await vscode.window.showOpenDialog({
    title: folder ? 'Import a folder of JSONL trace files' : 'Import JSONL trace files',
    canSelectFiles: !folder,
    canSelectFolders: folder,
    canSelectMany: !folder,
    openLabel: 'Import',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: folder ? undefined : { 'Trace files (JSONL)': ['jsonl'], 'All files': ['*'] },
  });
  return picked?.length ? picked.map((u) => u.fsPath) : undefined;
}

export interface ImportOutcome {
  report: ImportReport;
  /** The summary shown to the user. */
  summary: string;
}

/** Runs an import with a progress notification; resolves with the report (also when cancelled). */
export async function runImport(services: ExtensionContextServices, stores: StoreService, inputs: string[]): Promise<ImportOutcome> {
  const store = await stores.open();
  const { importTraces, expandInputs } = await stores.importer();
  const files = expandInputs(inputs);
  if (files.length === 0) throw new UserError(`No .jsonl files in ${inputs.join(', ')}. Trace files are JSON Lines with the extension .jsonl.`);
  const label = files.length === 1 ? path.basename(files[0].path) : `${files.length} files`;
  services.log.info(`Importing ${files.map((f) => f.path).join(', ')} into ${store.path}`);

  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Importing ${label}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let reported = 0;
      try {
        return await importTraces(store, inputs, {
          signal: abort.signal,
          onProgress: (p: ImportProgress) => {
            const percent = p.bytesTotal ? (100 * p.bytesDone) / p.bytesTotal : 0;
            progress.report({ message: progressMessage(p), increment: Math.max(0, percent - reported) });
            reported = Math.max(reported, percent);
          },
        });
      } finally {
        sub.dispose();
      }
    },
  );
  logReport(services.log, report);
  return { report, summary: summaryOf(report) };
}

export function progressMessage(p: ImportProgress): string {
  const file = p.filesTotal > 1 ? ` — ${path.basename(p.file)} (${Math.min(p.filesDone + 1, p.filesTotal)}/${p.filesTotal})` : '';
  return `${n(p.imported)} imported, ${n(p.duplicates)} duplicate${p.duplicates === 1 ? '' : 's'}, ${n(p.invalid)} invalid${file}`;
}

export function summaryOf(r: ImportReport): string {
  const files = r.files.length === 1 ? path.basename(r.files[0].file) : `${r.files.length} files`;
  const head = r.cancelled
    ? `Import of ${files} cancelled: the ${n(r.imported)} trace${r.imported === 1 ? '' : 's'} stored before stay in the database`
    : `Imported ${n(r.imported)} trace${r.imported === 1 ? '' : 's'} from ${files}`;
  const parts = [`${n(r.duplicates)} duplicate${r.duplicates === 1 ? '' : 's'} skipped`, `${n(r.invalid)} invalid line${r.invalid === 1 ? '' : 's'}`];
  return `${head} (${parts.join(', ')}) in ${r.seconds.toFixed(1)} s.`;
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

/** The report in the log: one `file:line:column` per invalid line, which the Output view turns into links. */
function logReport(log: vscode.LogOutputChannel, r: ImportReport): void {
  log.info(summaryOf(r));
  for (const f of r.files) log.info(`  ${f.file}: ${f.lines} lines, ${f.imported} imported, ${f.duplicates} duplicates, ${f.invalid} invalid`);
  if (r.invalidLines.length) {
    log.warn(`Invalid lines (not imported):\n${r.invalidLines.map((l) => `  ${l.file}:${l.line}:${l.column ?? 1} ${l.code} ${l.message}`).join('\n')}`);
    if (r.invalidLinesTruncated) log.warn(`  … and ${r.invalid - r.invalidLines.length} more invalid lines (the first ${r.invalidLines.length} are listed).`);
  }
}

interface InvalidItem extends vscode.QuickPickItem {
  line: InvalidLine;
}

/**
 * The invalid lines of an import in a quick pick: moving through the list shows each line in
 * the editor (the quick pick stays open); Enter jumps there and closes it.
 */
export function showInvalidLines(r: ImportReport): Promise<void> {
  const qp = vscode.window.createQuickPick<InvalidItem>();
  qp.title = `${n(r.invalid)} invalid line${r.invalid === 1 ? '' : 's'} not imported${r.invalidLinesTruncated ? ` (first ${n(r.invalidLines.length)} listed)` : ''}`;
  qp.placeholder = 'Pick a line to go to it; the reason is under each one';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.ignoreFocusOut = true;
  qp.items = r.invalidLines.map((line) => ({
    label: `$(error) ${path.basename(line.file)}:${line.line}${line.column ? `:${line.column}` : ''}`,
    description: `${line.code} · ${vscode.workspace.asRelativePath(line.file, true)}`,
    detail: line.message,
    line,
  }));
  return new Promise((resolve) => {
    qp.onDidChangeActive((items) => items[0] && void revealLine(items[0].line, true));
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      qp.hide();
      if (item) void revealLine(item.line, false);
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve();
    });
    qp.show();
  });
}

async function revealLine(l: InvalidLine, preserveFocus: boolean): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(l.file));
  const line = Math.min(Math.max(0, l.line - 1), Math.max(0, doc.lineCount - 1));
  const text = doc.lineAt(line).text;
  const start = new vscode.Position(line, Math.min(Math.max(0, (l.column ?? 1) - 1), text.length));
  const end = new vscode.Position(line, text.length);
  await vscode.window.showTextDocument(doc, { preserveFocus, preview: true, selection: new vscode.Range(start, start.isEqual(end) ? start : end) });
}
