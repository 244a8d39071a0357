// "Tunix: Export Dataset...": pick a format and a split (or the whole dataset), choose the
// file, then stream it out with a cancellable progress notification. Traces deleted since
// the build are reported, never dropped silently.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportFormat } from '../../core/dataset/formats';
import type { ExportResult } from '../../core/dataset/export';
import type { StoreService } from '../platform/storeService';

interface FormatItem extends vscode.QuickPickItem {
  format: ExportFormat;
}

interface SplitItem extends vscode.QuickPickItem {
  split?: string;
}

/** What a caller (a script, a test, a keybinding) may fix in advance; the rest is asked. */
export interface ExportPreset {
  format?: ExportFormat;
  /** A split name, or null for the whole dataset. */
  split?: string | null;
  out?: string;
}

export async function exportFlow(stores: StoreService, key: string, split?: string, preset: ExportPreset = {}): Promise<ExportResult | undefined> {
  const store = await stores.open();
  const { EXPORT_FORMATS, EXPORT_FORMAT_SUMMARIES } = await import('../../core/dataset/formats');
  const { getManifest } = await import('../../core/dataset/repository');
  const { datasetDir } = await import('../../core/dataset/manifest');
  const manifest = getManifest(store, key);

  const { parseExportFormat } = await import('../../core/dataset/formats');
  const formatItems: FormatItem[] = EXPORT_FORMATS.map((f) => ({ label: f, detail: EXPORT_FORMAT_SUMMARIES[f], format: f }));
  const format = preset.format
    ? { format: parseExportFormat(preset.format) }
    : await vscode.window.showQuickPick(formatItems, { title: `Export ${key}: format`, placeHolder: 'The format your trainer reads' });
  if (!format) return undefined;

  let chosenSplit = preset.split === null ? undefined : (preset.split ?? split);
  if (chosenSplit === undefined && preset.split === undefined) {
    const splitItems: SplitItem[] = [
      { label: 'Whole dataset', description: `${manifest.trace_count.toLocaleString('en-US')} traces` },
      ...Object.entries(manifest.splits.counts).map(([name, count]) => ({ label: name, description: `${count.toLocaleString('en-US')} traces`, split: name })),
    ];
    // Eval items are for held-out data: offer the test split first.
    if (format.format === 'eval_items') splitItems.sort((a, b) => Number(b.split === 'test') - Number(a.split === 'test'));
    const picked = await vscode.window.showQuickPick(splitItems, { title: `Export ${key}: split`, placeHolder: 'Which traces' });
    if (!picked) return undefined;
    chosenSplit = picked.split;
  }

  const base = `${key}${chosenSplit ? `.${chosenSplit}` : ''}.${format.format}.jsonl`;
  const defaultFolder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(datasetDir(store.path, key));
  const target = preset.out ? vscode.Uri.file(preset.out) : await vscode.window.showSaveDialog({
    title: `Export ${key}`,
    defaultUri: vscode.Uri.joinPath(defaultFolder, base),
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Export',
  });
  if (!target) return undefined;

  const { exportDataset } = await import('../../core/dataset/export');
  const { CancelledError } = await import('../../core/dataset/jsonlFile');
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${path.basename(target.fsPath)}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let last = 0;
      try {
        return await exportDataset(store, {
          key,
          format: format.format,
          split: chosenSplit,
          out: target.fsPath,
          signal: abort.signal,
          onProgress: (p) => {
            const pct = p.total ? (100 * p.written) / p.total : 100;
            progress.report({ increment: pct - last, message: `${p.written.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} traces` });
            last = pct;
          },
        });
      } catch (err) {
        if (err instanceof CancelledError) return undefined;
        throw err;
      } finally {
        sub.dispose();
      }
    },
  );
  if (!result) return undefined;
  const gone = [...result.missing, ...result.changed];
  const text = `Exported ${result.written.toLocaleString('en-US')} ${format.format} lines to ${vscode.workspace.asRelativePath(target)}.`;
  const show = gone.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const detail = gone.length
    ? ` ${gone.length} trace${gone.length === 1 ? ' was' : 's were'} deleted from the database (or replaced) since the build and skipped: ${gone.slice(0, 5).join(', ')}${gone.length > 5 ? ', …' : ''}.`
    : '';
  void show(text + detail, 'Open File').then((c) => c && vscode.window.showTextDocument(target));
  return result;
}
