// Everything package.json contributes is backed by something real in the running extension.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, logText, packageJson, waitFor, workspaceDir } from '../helpers';

describe('foundation: contributions', () => {
  before(async () => {
    await activate();
  });

  it('registers every command package.json contributes', async () => {
    const contributed: string[] = packageJson().contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed commands with no handler');
  });

  it('shows every view of the Tunix RT container (Traces, Datasets, Runs, Models)', async () => {
    const views: Array<{ id: string; name: string }> = packageJson().contributes.views.tunix;
    assert.deepEqual(
      views.map((v) => v.id),
      ['tunix.traces', 'tunix.datasets', 'tunix.runs', 'tunix.models'],
    );
    for (const view of views) {
      // `<view id>.focus` exists only for a registered view, and fails if it cannot be shown.
      await vscode.commands.executeCommand(`${view.id}.focus`);
    }
  });

  it('tunix.doctor checks the environment through the CLI and reports the training backend', async () => {
    const api = await activate();
    const before = logText(api).length;
    const done = vscode.commands.executeCommand('tunix.doctor');
    const report = await waitFor(() => logText(api).slice(before).match(/Environment check:[\s\S]*/)?.[0], 'the environment report in the log', 60_000);
    assert.doesNotMatch(logText(api).slice(before), /tunix\.doctor failed/);
    assert.match(report, /The "auto" setting picks: \w+/);
    // The database it reports is the workspace's default one (the extension passed --db).
    assert.ok(report.includes(path.join(workspaceDir(), '.tunix', 'tunix.db')), report);
    // The command waits for its notification ("training will use ...") to be dismissed.
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await done, undefined);
  });
});
