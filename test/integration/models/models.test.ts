// The model registry and sweeps in a real extension host: the Models view (empty, then listing a model
// and its versions), Register Model on a run the CLI trained for real (another process), its
// manifest opened in an editor, verify, and delete; the CLI sees what the window registered;
// Start Sweep training a grid in a CLI child process and registering its best model.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelsTreeProvider, ModelsNode } from '../../../src/extension/models/modelsTree';
import { MODELS_FEATURE_HOOK } from '../../../src/extension/models/feature';
import { featureParts, suiteDatabase, waitFor } from '../helpers';
import { tunixCli, tunixJson } from '../eval/pipeline';

const tree = () => featureParts<{ tree: ModelsTreeProvider }>(MODELS_FEATURE_HOOK, 'models').tree;

async function listed(): Promise<string[]> {
  const roots = await tree().getChildren();
  const out: string[] = [];
  for (const r of roots) {
    const item = tree().getTreeItem(r);
    out.push(`${item.label} (${item.description})`);
    for (const c of await tree().getChildren(r as ModelsNode)) out.push(`  ${tree().getTreeItem(c).label}`);
  }
  return out;
}

describe('models and sweeps: the registry and Start Sweep in VS Code (integration)', function () {
  this.timeout(180_000);
  let runId: string;
  const suite = suiteDatabase('.tunix-models-it-', {
    prepare(db, dir) {
      const traces = path.join(dir, 'addition.jsonl');
      assert.equal(tunixCli(['generate', 'addition', '--count', '60', '--seed', '3', '--out', traces], dir).code, 0);
      tunixJson(['import', traces, '--db', db, '--json'], dir);
      const { dataset_key: key } = tunixJson(['dataset', 'build', '--db', db, '--name', 'addition', '--version', '1', '--json'], dir);
      // A real, tiny run of the built-in transformer: it writes its model files when it completes.
      const run = tunixJson(['train', '--db', db, '--dataset', key, '--steps', '4', '--backend', 'wasm', '--json', ...['layers=1', 'd_model=16', 'heads=2', 'mlp=32', 'max_new_tokens=8'].flatMap((x) => ['--set', x])], dir);
      assert.equal(run.status, 'completed');
      runId = run.run_id;
    },
  });

  it('the Models view is empty (its welcome content shows) before a registration', async () => {
    tree().refresh();
    assert.deepEqual(await listed(), []);
  });

  it("Register Model copies a CLI-trained run's model into a first version, and the view lists it", async () => {
    const r = (await vscode.commands.executeCommand('tunix.registerModel', { run: runId, name: 'adder', description: 'tiny' })) as { name: string; version: number; dir: string };
    assert.deepEqual([r.name, r.version], ['adder', 1]);
    const manifest = JSON.parse(fs.readFileSync(path.join(r.dir, 'model_version.json'), 'utf8'));
    assert.equal(manifest.run_id, runId);
    assert.ok(manifest.files.some((f: { path: string }) => f.path === 'weights.bin'), JSON.stringify(manifest.files));
    for (const f of manifest.files) assert.equal(fs.statSync(path.join(r.dir, f.path)).size, f.bytes, f.path);
    await waitFor(async () => (await listed()).join('|') === 'adder (1 version)|  v1', 'the view to list adder v1');
  });

  it('a second registration is v2; the CLI sees both; a bad run is refused and registers nothing', async () => {
    await vscode.commands.executeCommand('tunix.registerModel', { run: runId, name: 'adder' });
    const cli = tunixCli(['models', 'list', '--db', suite.db, '--json'], suite.dir);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout).map((v: { version: number }) => v.version), [2, 1]);
    assert.equal(await vscode.commands.executeCommand('tunix.registerModel', { run: 'run-nope', name: 'adder' }), undefined);
    await waitFor(async () => (await listed()).join('|') === 'adder (2 versions)|  v2|  v1', 'the view to list v2 above v1');
  });

  it("opens a version's manifest, verifies its files, and deletes it after the CLI evaluated the run", async () => {
    await vscode.commands.executeCommand('tunix.models.openManifest', 'adder@1');
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath.endsWith(path.join('adder', 'v1', 'model_version.json')), 'the manifest in an editor');
    assert.deepEqual(await vscode.commands.executeCommand('tunix.models.verify', 'adder@1'), []);
    assert.equal(await vscode.commands.executeCommand('tunix.models.delete', 'adder@1', { confirm: false }), 'adder@1');
    assert.equal(fs.existsSync(path.join(suite.dir, 'models', 'adder', 'v1')), false);
    await waitFor(async () => (await listed()).join('|') === 'adder (1 version)|  v2', 'the view without v1');
    // A version registered after an evaluation carries its score into the view.
    tunixJson(['eval', runId, '--db', suite.db, '--judge', 'answer_correctness@v2', '--json'], suite.dir);
    await vscode.commands.executeCommand('tunix.registerModel', { run: runId, name: 'adder' });
    await waitFor(async () => (await listed())[0]?.includes('best 0.'), 'the model to show its best score');
  });

  it('Start Sweep trains a grid in a CLI child process, the Runs view lists its runs, and the best model is registered', async function () {
    this.timeout(120_000);
    const tiny = ['d_model=16', 'heads=2', 'mlp=32', 'max_new_tokens=8', 'eval_interval=4'];
    const summary = (await vscode.commands.executeCommand('tunix.startSweep', { dataset: 'addition-1', grid: ['layers=1,2'], set: tiny, steps: 4, objective: 'eval_loss', register: 'swept' })) as {
      runs: Array<{ run_id: string; status: string; value: number | null; rank: number }>;
      best: { run_id: string };
      registered: { name: string; version: number };
    };
    assert.ok(summary, 'the command returned the sweep summary');
    assert.deepEqual(summary.runs.map((r) => [r.status, r.rank]), [['completed', 1], ['completed', 2]]);
    assert.ok(summary.runs[0].value! <= summary.runs[1].value!);
    assert.deepEqual([summary.registered.name, summary.registered.version], ['swept', 1]);
    const runsTree = featureParts<{ tree: { getChildren(): Promise<Array<{ run: { id: string; name: string } }>> } }>(Symbol.for('tunix-rt.runs.feature'), 'runs').tree;
    await waitFor(async () => {
      const ids = (await runsTree.getChildren()).map((n) => n.run.id);
      return summary.runs.every((r) => ids.includes(r.run_id));
    }, 'the Runs view to list the sweep runs');
    await waitFor(async () => (await listed()).some((l) => l.startsWith('swept (1 version')), 'the Models view to list the registered best model');
  });
});
