// The Models view (`tunix.models`): each registered model with its versions, newest first,
// each version with its score, architecture and origin. Empty (so the welcome content shows)
// while there is no database or no registered model; looking at the view never creates one.
import * as vscode from 'vscode';
import type { ModelVersion } from '../../core/registry/modelRegistry';
import type { StoreService } from '../platform/storeService';
import { RefreshingTree } from '../platform/refreshingTree';
import { Commands, commandFor } from '../platform/commands';

export const MODEL_VERSION_CONTEXT_VALUE = 'tunix.modelVersion';

export type ModelsNode = { kind: 'model'; name: string; versions: ModelVersion[] } | { kind: 'version'; version: ModelVersion } | { kind: 'message'; label: string };

const md = (s: string) => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
const score = (v: ModelVersion) => (v.primaryScore === null ? 'not evaluated' : v.primaryScore.toFixed(3));

function versionTooltip(v: ModelVersion): vscode.MarkdownString {
  const m = v.manifest;
  const t = new vscode.MarkdownString(undefined, true);
  t.appendMarkdown(`**${md(v.name)} v${v.version}**${v.description ? ` · ${md(v.description)}` : ''}\n\n`);
  t.appendMarkdown(`${md(v.model)} · trained by run \`${v.runId}\` on dataset \`${md(v.datasetKey ?? '-')}\`${m.backend ? ` (${md(m.backend)})` : ''}\n\n`);
  t.appendMarkdown(v.primaryScore === null ? 'Not evaluated when registered.\n\n' : `Score **${score(v)}** (${md(v.judge ?? '')}) on ${m.evaluation?.n_items ?? '?'} items\n\n`);
  const metrics = ['loss', 'eval_loss'].filter((k) => m.final_metrics[k] !== undefined).map((k) => `${k} ${Number(m.final_metrics[k].toPrecision(4))}`);
  if (metrics.length) t.appendMarkdown(`Final ${metrics.join(' · ')}\n\n`);
  t.appendMarkdown(`${m.files.length} files, ${m.files.reduce((n, f) => n + f.bytes, 0).toLocaleString('en-US')} bytes · registered ${new Date(v.createdAt).toLocaleString()}`);
  return t;
}

export class ModelsTreeProvider extends RefreshingTree<ModelsNode> {
  private last: ModelVersion[] = [];

  constructor(private readonly stores: StoreService) {
    super();
    this.followDatabase(stores);
  }

  /** Every version of the last listing. */
  get versions(): readonly ModelVersion[] {
    return this.last;
  }

  getTreeItem(node: ModelsNode): vscode.TreeItem {
    if (node.kind === 'model') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `model:${node.name}`;
      const scored = node.versions.filter((v) => v.primaryScore !== null);
      const best = scored.length ? Math.max(...scored.map((v) => v.primaryScore!)) : undefined;
      item.description = `${node.versions.length} version${node.versions.length === 1 ? '' : 's'}${best !== undefined ? ` · best ${best.toFixed(3)}` : ''}`;
      item.iconPath = new vscode.ThemeIcon('library');
      item.contextValue = 'tunix.model';
      return item;
    }
    if (node.kind === 'version') {
      const v = node.version;
      const item = new vscode.TreeItem(`v${v.version}`, vscode.TreeItemCollapsibleState.None);
      item.id = `model:${v.name}@${v.version}`;
      item.description = `${score(v)}${v.judge ? ` ${v.judge}` : ''} · ${v.model} · ${v.datasetKey ?? '-'}`;
      item.tooltip = versionTooltip(v);
      item.iconPath = new vscode.ThemeIcon('tag');
      item.contextValue = MODEL_VERSION_CONTEXT_VALUE;
      item.command = commandFor(Commands.modelsOpenManifest, 'Open Model Manifest', node);
      return item;
    }
    const item = new vscode.TreeItem(node.label);
    item.iconPath = new vscode.ThemeIcon('warning');
    return item;
  }

  protected async children(node?: ModelsNode): Promise<ModelsNode[]> {
    if (node?.kind === 'model') return node.versions.map((version) => ({ kind: 'version', version }));
    if (node) return [];
    if (!this.stores.exists()) {
      this.last = [];
      return [];
    }
    try {
      const store = await this.stores.open();
      const { listModelVersions } = await import('../../core/registry/modelRegistry');
      this.last = store.read((q) => listModelVersions(q, store.path));
      const byName = new Map<string, ModelVersion[]>();
      for (const v of this.last) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
      return [...byName].map(([name, versions]) => ({ kind: 'model', name, versions }));
    } catch (err) {
      if (err instanceof vscode.CancellationError) return [{ kind: 'message', label: 'The database was not opened.' }];
      return [{ kind: 'message', label: `Cannot list the models: ${(err as Error).message}` }];
    }
  }
}
