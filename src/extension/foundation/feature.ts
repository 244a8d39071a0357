// Commands that belong to no single feature: the log and the environment check.
import * as vscode from 'vscode';
import type { Feature } from '../platform/feature';
import { runCli } from '../platform/cli';
import { formatDoctor, type DoctorReport } from '../../core/env/doctor';
import { Commands } from '../platform/commands';

export const foundationFeature: Feature = {
  name: 'foundation',
  register(s) {
    s.registerCommand(Commands.showLog, () => s.log.show(true));
    s.registerCommand(Commands.doctor, async () => {
        const db = s.databasePath();
        const report = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Tunix: checking the environment…', cancellable: true },
          async (_p, token) => {
            const args = ['doctor', '--json', ...(db ? ['--db', db] : [])];
            const result = await runCli(s.distDir, args, { token });
            if (result.code !== 0) throw new Error(result.stderr.trim() || `tunix-rt doctor exited with ${result.code}`);
            return JSON.parse(result.stdout) as DoctorReport;
          },
        );
        s.log.info('Environment check:\n' + formatDoctor(report));
        const chosen = report.backends.find((b) => b.name === report.autoBackend);
        const pick = await vscode.window.showInformationMessage(
          `Tunix RT ${report.version} on Node ${report.node}: training will use "${report.autoBackend}" (${chosen?.engine ?? ''}).`,
          'Show Details',
        );
        if (pick) s.log.show(true);
    });
  },
};
