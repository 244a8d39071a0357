// The Datasets feature in a real extension host: Generate Sample Traces (written into the
// workspace and imported through the Traces feature's command), Build Dataset, the tree of
// datasets and splits, the stats panel (its page loads under the CSP and answers the host),
// export, the manifest, delete. Uses a database of its own (the tunix.database.path setting).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuildResult } from '../../../src/core/dataset/build';
import type { ExportResult } from '../../../src/core/dataset/export';
import type { DatasetsFeatureParts } from '../../../src/extension/datasets/feature';
import type { DatasetsNode } from '../../../src/extension/datasets/datasetsTree';
import { featureParts, suiteDatabase, waitFor, workspaceDir } from '../helpers';

const HOOK = Symbol.for('tunix-rt.datasets.feature');

function parts(): DatasetsFeatureParts {
  return featureParts<DatasetsFeatureParts>(HOOK, 'datasets');
}

async function children(node?: DatasetsNode): Promise<DatasetsNode[]> {
  return (await parts().tree.getChildren(node)) ?? [];
}

describe('datasets: generate, build, view, stats, export (integration)', function () {
  this.timeout(180_000);
  const suite = suiteDatabase('.tunix-it-ds-', { file: 'datasets.db' });
  let samplesFile: string;


  after(() => {
    if (samplesFile) fs.rmSync(path.dirname(samplesFile), { recursive: true, force: true });
  });

  it('shows nothing before there is a database (the welcome content shows), and creates none', async () => {
    assert.deepEqual(await children(), []);
    assert.equal(fs.existsSync(suite.db), false);
    const welcome = (vscode.extensions.getExtension('tunix-rt.tunix-rt')!.packageJSON.contributes.viewsWelcome as Array<{ view: string; contents: string }>).find((w) => w.view === 'tunix.datasets');
    assert.match(welcome!.contents, /No datasets yet\.\n\[Build Dataset\.\.\.\]\(command:tunix\.buildDataset\)/);
  });

  it('Generate Sample Traces writes a .trace.jsonl into the workspace and imports it', async () => {
    const uri = (await vscode.commands.executeCommand('tunix.generateSamples', { task: 'mixed', count: 240, seed: 4, import: true })) as vscode.Uri;
    assert.ok(uri, 'the command returned the file');
    samplesFile = uri.fsPath;
    assert.equal(path.dirname(samplesFile), path.join(workspaceDir(), 'tunix-samples'));
    assert.match(path.basename(samplesFile), /^mixed-240-seed4(-\d+)?\.trace\.jsonl$/);
    assert.equal(fs.readFileSync(samplesFile, 'utf8').trim().split('\n').length, 240);
    const store = await parts().stores.open();
    const api = await parts().stores.api();
    await waitFor(() => api.countTraces(store, {}) === 240, '240 traces in the database');
    // Still no dataset: the view stays empty.
    assert.deepEqual(await children(), []);
  });

  it('Build Dataset (given its settings) builds, and the view lists it with its splits', async () => {
    const result = (await vscode.commands.executeCommand('tunix.buildDataset', { name: 'it', version: 'v1', selection: 'all', seed: 5, splits: 'train=0.8,val=0.1,test=0.1' })) as BuildResult;
    assert.ok(result, 'the build returned its result');
    assert.equal(result.manifest.dataset_key, 'it-v1');
    assert.equal(result.manifest.trace_count, 240);
    assert.equal(result.manifestPath, path.join(suite.dir, 'datasets', 'it-v1', 'manifest.json'));
    assert.ok(fs.existsSync(result.manifestPath));
    const roots = await waitFor(async () => {
      const r = await children();
      return r.length === 1 ? r : undefined;
    }, 'the dataset in the view');
    const item = parts().tree.getTreeItem(roots[0]);
    assert.equal(item.label, 'it');
    assert.equal(item.description, 'v1 · 240 traces');
    assert.equal(item.contextValue, 'tunix.dataset');
    const splits = await children(roots[0]);
    assert.deepEqual(
      splits.map((s) => (s.kind === 'split' ? s.split : '')),
      ['train', 'val', 'test'],
    );
    assert.equal(splits.reduce((n, s) => n + (s.kind === 'split' ? s.count : 0), 0), 240);
  });

  it('building the same name and version again is refused; the dataset stays as it was', async () => {
    const before = (await children())[0];
    const again = await vscode.commands.executeCommand('tunix.buildDataset', { name: 'it', version: 'v1', selection: 'all', seed: 9 });
    assert.equal(again, undefined, 'the command reported an error instead of building');
    const after = (await children())[0];
    assert.ok(before.kind === 'dataset' && after.kind === 'dataset');
    assert.equal(after.dataset.build_id, before.dataset.build_id);
  });

  it('Show Dataset Stats opens the stats panel; its page loads and asks for the data', async () => {
    const node = (await children())[0];
    await vscode.commands.executeCommand('tunix.showDatasetStats', node);
    const host = await waitFor(() => parts().stats.panelOf('it-v1'), 'the stats panel');
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the stats page never sent ready (did its script run under the CSP?)')), 60_000);
      const sub = host.onDidBecomeReady(() => {
        clearTimeout(t);
        sub.dispose();
        resolve();
      });
      // Reload the page now that we listen, so its `ready` cannot have gone by unseen.
      host.load();
    });
    assert.equal(host.panel.title, 'Dataset it-v1');
    // Showing it again reveals the same panel instead of opening a second one.
    await vscode.commands.executeCommand('tunix.showDatasetStats', 'it-v1');
    assert.equal(parts().stats.panelOf('it-v1'), host);
  });

  it('Export Dataset writes the split in the chosen format', async () => {
    const node = (await children())[0];
    const test = (await children(node)).find((s) => s.kind === 'split' && s.split === 'test')!;
    const out = path.join(suite.dir, 'exports', 'test.eval_items.jsonl');
    const r = (await vscode.commands.executeCommand('tunix.exportDataset', test, { format: 'eval_items', out })) as ExportResult;
    assert.ok(r);
    assert.equal(r.split, 'test');
    assert.equal(r.written, test.kind === 'split' ? test.count : -1);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(lines[0]).slice(0, 3), ['id', 'prompt', 'expected_answer']);
    const whole = (await vscode.commands.executeCommand('tunix.exportDataset', 'it-v1', { format: 'tunix_sft', split: null, out: path.join(suite.dir, 'exports', 'all.jsonl') })) as ExportResult;
    assert.equal(whole.written, 240);
  });

  it('Open Dataset Manifest opens manifest.json', async () => {
    await vscode.commands.executeCommand('tunix.openDatasetManifest', 'it-v1');
    const editor = await waitFor(() => vscode.window.activeTextEditor, 'an editor');
    assert.equal(editor.document.uri.fsPath, path.join(suite.dir, 'datasets', 'it-v1', 'manifest.json'));
    assert.equal(JSON.parse(editor.document.getText()).dataset_key, 'it-v1');
  });

  it('Delete Dataset removes it from the view and its manifest from disk; the traces stay', async () => {
    const node = (await children())[0];
    await vscode.commands.executeCommand('tunix.deleteDataset', node, { confirm: false });
    await waitFor(async () => (await children()).length === 0, 'the view to be empty again');
    assert.equal(fs.existsSync(path.join(suite.dir, 'datasets', 'it-v1', 'manifest.json')), false);
    const store = await parts().stores.open();
    assert.equal((await parts().stores.api()).countTraces(store, {}), 240);
  });
});
