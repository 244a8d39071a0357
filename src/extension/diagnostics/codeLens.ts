// The CodeLens at the top of a trace file: "N valid, M invalid" (opens the Problems panel)
// and "Import valid traces" (tunix.importTraces, shown only when that command exists).
import * as vscode from 'vscode';
import type { DocumentSync } from './documentSync';

export const IMPORT_COMMAND = 'tunix.importTraces';

export class TraceCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private importAvailable: { at: number; value: boolean } | undefined;

  constructor(private readonly sync: DocumentSync) {
    sync.onDidChangeSummary(() => this.changed.fire());
  }

  private async canImport(): Promise<boolean> {
    const now = Date.now();
    if (!this.importAvailable || now - this.importAvailable.at > 5000) {
      const all = await vscode.commands.getCommands(true);
      this.importAvailable = { at: now, value: all.includes(IMPORT_COMMAND) };
    }
    return this.importAvailable.value;
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!this.sync.isTracked(doc.uri)) return [];
    const s = this.sync.summaries.get(doc.uri.toString());
    if (!s) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, {
        title: `${s.valid.toLocaleString('en-US')} valid, ${s.invalid.toLocaleString('en-US')} invalid`,
        tooltip: `${s.records} records: ${s.errors} errors, ${s.warnings} warnings. Click to open the Problems panel.`,
        command: 'workbench.actions.view.problems',
      }),
    ];
    if (s.valid > 0 && (await this.canImport())) {
      lenses.push(new vscode.CodeLens(top, { title: 'Import valid traces', tooltip: 'Import the records without errors into the trace database', command: IMPORT_COMMAND, arguments: [doc.uri] }));
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
