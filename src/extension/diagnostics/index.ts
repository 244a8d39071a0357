// The trace diagnostics feature: the Problems panel flags every invalid trace record at the
// exact spot as trace files are opened and edited (validated incrementally in a worker
// thread), with quick fixes, hovers, a CodeLens with the counts, and "Validate All Trace
// Files". The decisions live in src/core/trace; this folder only translates for VS Code.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Feature } from '../platform/feature';
import type { ExtensionContextServices } from '../platform/services';
import { InProcessValidationService, WorkerValidationService, type TraceValidationService } from '../../core/trace/validationService';
import { TraceCodeLens } from './codeLens';
import { docLinks } from './convert';
import { DocumentSync } from './documentSync';
import { TraceHover } from './hover';
import { TraceQuickFixes } from './quickFixes';
import { validateAllTraceFiles } from './validateAll';
import { Commands } from '../platform/commands';

const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];

/** What tests reach through the extension's API (`api.services`-independent). */
export interface DiagnosticsApi {
  sync: DocumentSync;
}

let current: DiagnosticsApi | undefined;
export function diagnosticsApi(): DiagnosticsApi | undefined {
  return current;
}

export const diagnosticsFeature: Feature = {
  name: 'diagnostics',
  register(s: ExtensionContextServices) {
    let service: TraceValidationService | undefined;
    const getService = (): TraceValidationService => {
      if (service) return service;
      try {
        service = new WorkerValidationService(path.join(s.distDir, 'validateWorker.js'));
        s.markHeavyLoaded('validateWorker');
      } catch (err) {
        s.log.warn(`Trace validation runs on the extension host thread: ${(err as Error).message}`);
        service = new InProcessValidationService();
      }
      sync.attach(service);
      return service;
    };
    const diagnostics = s.track(vscode.languages.createDiagnosticCollection('tunix-rt traces'));
    const sync = s.track(new DocumentSync(getService, diagnostics, docLinks(s.distDir), s.log));
    current = { sync };
    s.onDispose(async () => {
      current = undefined;
      await service?.dispose();
    });

    s.track(vscode.languages.registerCodeActionsProvider(SELECTOR, new TraceQuickFixes(), { providedCodeActionKinds: TraceQuickFixes.kinds }));
    s.track(vscode.languages.registerHoverProvider(SELECTOR, new TraceHover((d) => sync.isTracked(d.uri))));
    s.track(vscode.languages.registerCodeLensProvider(SELECTOR, s.track(new TraceCodeLens(sync))));

    s.registerCommand(Commands.validateAllTraceFiles, async () => {
      sync.reconsiderAll();
      const r = await validateAllTraceFiles(getService(), sync, s.log);
      const t = r.totals;
      const text = `${r.cancelled ? 'Stopped after' : 'Validated'} ${r.files} trace file${r.files === 1 ? '' : 's'}: ${t.records.toLocaleString('en-US')} records, ${t.valid.toLocaleString('en-US')} valid, ${t.invalid.toLocaleString('en-US')} invalid (${t.errors} errors, ${t.warnings} warnings).`;
      s.log.info(text);
      // Not awaited: the command's result (for callers and tests) must not wait on the toast.
      if (t.errors + t.warnings > 0) {
        void vscode.window.showWarningMessage(text, 'Show Problems').then((pick) => pick && vscode.commands.executeCommand('workbench.actions.view.problems'));
      } else void vscode.window.showInformationMessage(text);
      return r;
    });

    // Documents already open when the extension activates: after activation returns, so
    // starting the worker never adds to activation time.
    const initial = setTimeout(() => sync.reconsiderAll(), 0);
    s.onDispose(() => clearTimeout(initial));
  },
};
