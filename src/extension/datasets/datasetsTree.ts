// The Datasets view (`tunix.datasets`): each dataset with its version and trace count; its
// children are its splits with their counts. Empty (so the welcome content shows) while no
// database or no dataset exists; looking at the view never creates a database.
import * as vscode from 'vscode';
import type { DatasetSummary } from '../../core/dataset/repository';
import type { StoreService } from '../platform/storeService';
import { RefreshingTree } from '../platform/refreshingTree';
import { Commands, commandFor } from '../platform/commands';

export const DATASET_CONTEXT_VALUE = 'tunix.dataset';
export const SPLIT_CONTEXT_VALUE = 'tunix.datasetSplit';

export type DatasetsNode = DatasetNode | SplitNode | MessageNode;

export interface DatasetNode {
  kind: 'dataset';
  dataset: DatasetSummary;
}

export interface SplitNode {
  kind: 'split';
  dataset: DatasetSummary;
  split: string;
  count: number;
}

export interface MessageNode {
  kind: 'message';
  label: string;
  detail?: string;
}

const n = (x: number) => x.toLocaleString('en-US');

export class DatasetsTreeProvider extends RefreshingTree<DatasetsNode> {
  private last: DatasetSummary[] = [];

  constructor(
    private readonly stores: StoreService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.followDatabase(stores);
  }

  /** The datasets of the last listing (newest first). */
  get datasets(): readonly DatasetSummary[] {
    return this.last;
  }

  getTreeItem(node: DatasetsNode): vscode.TreeItem {
    if (node.kind === 'dataset') {
      const d = node.dataset;
      const item = new vscode.TreeItem(d.dataset_name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `dataset:${d.dataset_key}`;
      item.description = `${d.dataset_version} · ${n(d.trace_count)} traces`;
      item.iconPath = new vscode.ThemeIcon('package');
      item.contextValue = DATASET_CONTEXT_VALUE;
      const tip = new vscode.MarkdownString(undefined, true);
      tip.appendMarkdown(`**${escape(d.dataset_name)}** · ${escape(d.dataset_version)}\n\n`);
      tip.appendMarkdown(`\`${escape(d.dataset_key)}\` · built ${new Date(d.created_at).toLocaleString()}\n\n`);
      tip.appendMarkdown(`${n(d.trace_count)} traces: ${Object.entries(d.splits).map(([s, c]) => `${escape(s)} ${n(c)}`).join(', ')}\n\n`);
      tip.appendMarkdown(`Selection ${escape(d.selection_strategy)}${d.seed !== null ? `, seed ${d.seed}` : ''}`);
      item.tooltip = tip;
      item.command = commandFor(Commands.showDatasetStats, 'Show Dataset Stats', node);
      return item;
    }
    if (node.kind === 'split') {
      const item = new vscode.TreeItem(node.split, vscode.TreeItemCollapsibleState.None);
      item.id = `split:${node.dataset.dataset_key}\u0000${node.split}`;
      const share = node.dataset.trace_count ? ((100 * node.count) / node.dataset.trace_count).toFixed(1) : '0';
      item.description = `${n(node.count)} · ${share} %`;
      item.iconPath = new vscode.ThemeIcon('list-flat');
      item.contextValue = SPLIT_CONTEXT_VALUE;
      item.tooltip = `${n(node.count)} traces of ${node.dataset.dataset_key} in split "${node.split}"`;
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('error');
    item.description = node.detail;
    item.tooltip = node.detail ?? node.label;
    item.command = commandFor(Commands.refreshDatasets, 'Retry');
    return item;
  }

  protected async children(node?: DatasetsNode): Promise<DatasetsNode[]> {
    if (node?.kind === 'dataset') {
      return Object.entries(node.dataset.splits).map(([split, count]) => ({ kind: 'split', dataset: node.dataset, split, count }));
    }
    if (node) return [];
    if (!this.stores.exists()) {
      this.last = [];
      return [];
    }
    try {
      const store = await this.stores.open();
      const { listDatasets } = await import('../../core/dataset/repository');
      this.last = listDatasets(store);
      return this.last.map((dataset) => ({ kind: 'dataset', dataset }));
    } catch (err) {
      if (err instanceof vscode.CancellationError) return [{ kind: 'message', label: 'The database was not opened.' }];
      const message = (err as Error).message;
      this.log.warn(`Datasets view: ${message}`);
      return [{ kind: 'message', label: 'Could not read the datasets', detail: message }];
    }
  }

}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
