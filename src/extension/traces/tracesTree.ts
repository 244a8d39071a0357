// The Traces view (`tunix.traces`): source -> category -> traces, with counts. Traces under a
// category load lazily a page at a time ("Load more" continues from a keyset cursor, so the
// 100th page costs what the first does). The view's search and meta filters narrow every
// level; its description says which filter is active.
import * as vscode from 'vscode';
import type { TraceSummary, TraceQuery, MetaFilter } from '../../core/store';
import { revealInvisible } from '../../core/trace/invisibleChars';
import { describeFilter, isFiltered, type TraceViewFilter } from '../../core/traces-view/filter';
import type { StoreService } from '../platform/storeService';
import { RefreshingTree } from '../platform/refreshingTree';
import { Commands, commandFor } from '../platform/commands';

export const TRACE_CONTEXT_VALUE = 'tunix.trace';
/** Traces fetched per "Load more". */
export const PAGE_SIZE = 100;

export type TracesNode = SourceNode | CategoryNode | TraceNode | LoadMoreNode | MessageNode;

export interface SourceNode {
  kind: 'source';
  source: string;
  count: number;
  categories: Array<{ category: string; count: number }>;
}

export interface CategoryNode {
  kind: 'category';
  source: string;
  category: string;
  count: number;
}

export interface TraceNode {
  kind: 'trace';
  trace: TraceSummary;
  parent: CategoryNode;
}

export interface LoadMoreNode {
  kind: 'loadMore';
  parent: CategoryNode;
  loaded: number;
}

export interface MessageNode {
  kind: 'message';
  label: string;
  detail?: string;
  icon: string;
  command?: vscode.Command;
}

interface Page {
  items: TraceSummary[];
  next?: string;
  /** How many items the user asked to see (kept across refreshes). */
  wanted: number;
}

const NO_SOURCE = '(no source)';
const NO_CATEGORY = '(no category)';

export class TracesTreeProvider extends RefreshingTree<TracesNode> {
  private filter: TraceViewFilter = {};
  private readonly pages = new Map<string, Page>();
  private readonly categoryNodes = new Map<string, CategoryNode>();
  private view: vscode.TreeView<TracesNode> | undefined;
  private lastTotal: { matching: number; all: number } | undefined;

  constructor(
    private readonly stores: StoreService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.followDatabase(stores);
  }

  attach(view: vscode.TreeView<TracesNode>): void {
    this.view = view;
    this.updateDescription();
  }

  get activeFilter(): TraceViewFilter {
    return this.filter;
  }

  setFilter(filter: TraceViewFilter): void {
    this.filter = { text: filter.text?.trim() || undefined, filters: filter.filters?.length ? filter.filters : undefined };
    void vscode.commands.executeCommand('setContext', 'tunix.traces.filtered', isFiltered(this.filter));
    this.pages.clear();
    // The old counts do not describe the new filter: show none until the view is re-read.
    this.lastTotal = undefined;
    this.updateDescription();
    this.refresh();
  }

  setSearch(text: string | undefined): void {
    this.setFilter({ ...this.filter, text });
  }

  /** Adds (or replaces) the filter on one meta key. */
  setMetaFilter(filter: MetaFilter): void {
    const others = (this.filter.filters ?? []).filter((f) => f.key !== filter.key);
    this.setFilter({ ...this.filter, filters: [...others, filter] });
  }

  clearFilter(): void {
    this.setFilter({});
  }

  /** Re-reads everything (keeping how many traces each category showed). */
  override refresh(): void {
    for (const page of this.pages.values()) {
      page.items = [];
      page.next = undefined;
    }
    super.refresh();
  }

  /** The query behind one category's traces. */
  queryOf(node: CategoryNode): TraceQuery {
    return { source: node.source, category: node.category, text: this.filter.text, filters: this.filter.filters };
  }

  /** Shows the next page of a category. */
  async loadMore(node: LoadMoreNode | CategoryNode): Promise<void> {
    const category = node.kind === 'loadMore' ? node.parent : node;
    const page = this.pages.get(keyOf(category));
    if (!page) return;
    page.wanted = page.items.length + PAGE_SIZE;
    this.redraw(this.categoryNodes.get(keyOf(category)) ?? category);
  }

  /** The counts of the last root listing: traces matching the filter and in total. */
  get totals(): { matching: number; all: number } | undefined {
    return this.lastTotal;
  }

  getTreeItem(node: TracesNode): vscode.TreeItem {
    switch (node.kind) {
      case 'source': {
        const item = new vscode.TreeItem(node.source || NO_SOURCE, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `source:${node.source}`;
        item.description = node.count.toLocaleString('en-US');
        item.iconPath = new vscode.ThemeIcon('database');
        item.contextValue = 'tunix.traceSource';
        item.tooltip = `${node.count.toLocaleString('en-US')} trace${node.count === 1 ? '' : 's'} with source "${node.source || NO_SOURCE}" in ${node.categories.length} categor${node.categories.length === 1 ? 'y' : 'ies'}${isFiltered(this.filter) ? ' (matching the filter)' : ''}`;
        return item;
      }
      case 'category': {
        const item = new vscode.TreeItem(node.category || NO_CATEGORY, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `category:${node.source}\u0000${node.category}`;
        item.description = node.count.toLocaleString('en-US');
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = 'tunix.traceCategory';
        item.tooltip = `${node.count.toLocaleString('en-US')} trace${node.count === 1 ? '' : 's'} in ${node.source || NO_SOURCE} / ${node.category || NO_CATEGORY}`;
        return item;
      }
      case 'trace':
        return traceItem(node.trace);
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = `more:${node.parent.source}\u0000${node.parent.category}`;
        const step = Math.min(PAGE_SIZE, node.parent.count - node.loaded);
        item.description = `${node.loaded.toLocaleString('en-US')} of ${node.parent.count.toLocaleString('en-US')} shown`;
        item.tooltip = `Show ${step} more trace${step === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = commandFor(Commands.tracesLoadMore, 'Load More', node);
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.detail ?? node.label;
        item.description = node.detail;
        item.command = node.command;
        return item;
      }
    }
  }

  protected async children(node?: TracesNode): Promise<TracesNode[]> {
    try {
      if (!node) return await this.roots();
      if (node.kind === 'source') {
        return node.categories.map((c) => this.category(node.source, c.category, c.count));
      }
      if (node.kind === 'category') return await this.traces(node);
      return [];
    } catch (err) {
      if (err instanceof vscode.CancellationError) return [this.retryItem('The database was not opened.')];
      const message = (err as Error).message;
      this.log.warn(`Traces view: ${message}`);
      return [this.retryItem(message)];
    }
  }

  private retryItem(message: string): MessageNode {
    return { kind: 'message', label: 'Could not read the trace database', detail: message, icon: 'error', command: commandFor(Commands.refreshTraces, 'Retry') };
  }

  private category(source: string, category: string, count: number): CategoryNode {
    const key = `${source}\u0000${category}`;
    // The same object for the same group keeps "Load more" refreshes on the node VS Code knows.
    const existing = this.categoryNodes.get(key);
    if (existing) {
      existing.count = count;
      return existing;
    }
    const node: CategoryNode = { kind: 'category', source, category, count };
    this.categoryNodes.set(key, node);
    return node;
  }

  private async roots(): Promise<TracesNode[]> {
    // No database yet: the view stays empty so its welcome content (import / generate) shows,
    // and merely looking at the view does not create a database file.
    if (!this.stores.exists()) {
      this.lastTotal = { matching: 0, all: 0 };
      this.updateDescription();
      return [];
    }
    const store = await this.stores.open();
    const api = await this.stores.api();
    // The filter is normalised by setFilter (no blank search), so it is a valid TraceQuery.
    const groups = api.traceGroups(store, this.filter);
    const all = isFiltered(this.filter) ? api.countTraces(store, {}) : groups.total;
    this.lastTotal = { matching: groups.total, all };
    this.updateDescription();
    if (groups.total === 0) {
      if (all === 0) return [];
      return [
        {
          kind: 'message',
          label: 'No traces match the filter',
          detail: describeFilter(this.filter),
          icon: 'filter',
          command: commandFor(Commands.clearTraceFilter, 'Clear Filter'),
        },
      ];
    }
    return groups.sources.map((s) => ({ kind: 'source', source: s.source, count: s.count, categories: s.categories }));
  }

  private async traces(node: CategoryNode): Promise<TracesNode[]> {
    const key = keyOf(node);
    let page = this.pages.get(key);
    if (!page) {
      page = { items: [], wanted: PAGE_SIZE };
      this.pages.set(key, page);
    }
    const store = await this.stores.open();
    const api = await this.stores.api();
    const query = this.queryOf(node);
    // Fetch until the page holds what the user asked to see (after a refresh: the same number as before).
    let first = page.items.length === 0;
    while (page.items.length < page.wanted && (first || page.next)) {
      const limit = Math.min(1000, page.wanted - page.items.length);
      const result = api.queryTraces(store, { ...query, limit, after: first ? undefined : page.next });
      page.items.push(...result.items);
      page.next = result.next;
      first = false;
    }
    const out: TracesNode[] = page.items.map((trace) => ({ kind: 'trace', trace, parent: node }));
    if (page.next) out.push({ kind: 'loadMore', parent: node, loaded: page.items.length });
    return out;
  }

  private updateDescription(): void {
    if (!this.view) return;
    const filtered = isFiltered(this.filter);
    this.view.description = filtered ? describeFilter(this.filter) : undefined;
    const t = this.lastTotal;
    this.view.message = filtered && t ? `${t.matching.toLocaleString('en-US')} of ${t.all.toLocaleString('en-US')} traces match the filter.` : undefined;
  }

}

function keyOf(node: CategoryNode): string {
  return `${node.source}\u0000${node.category}`;
}

export function traceItem(t: TraceSummary): vscode.TreeItem {
  // Bidi controls and zero-width characters are shown as ⟨U+202E⟩: trace text comes from anywhere.
  const prompt = revealInvisible(t.promptPreview);
  const answer = revealInvisible(t.answerPreview);
  const item = new vscode.TreeItem(prompt || t.id, vscode.TreeItemCollapsibleState.None);
  item.id = `trace:${t.id}`;
  const score = t.score === null ? '' : ` · ${formatScore(t.score)}`;
  item.description = `${t.stepCount} step${t.stepCount === 1 ? '' : 's'}${score}`;
  item.iconPath = new vscode.ThemeIcon('list-ordered');
  item.contextValue = TRACE_CONTEXT_VALUE;
  const md = new vscode.MarkdownString(undefined, true);
  md.supportThemeIcons = true;
  md.appendMarkdown(`**Prompt**\n\n`);
  md.appendCodeblock(prompt, 'text');
  md.appendMarkdown(`**Final answer**\n\n`);
  md.appendCodeblock(answer, 'text');
  md.appendMarkdown(`$(list-ordered) ${t.stepCount} steps · $(beaker) ${t.score === null ? 'not scored' : `baseline ${formatScore(t.score)}`}\n\n`);
  md.appendMarkdown(`\`${t.id}\` · imported ${t.importedAt}`);
  item.tooltip = md;
  item.command = commandFor(Commands.openTrace, 'Open Trace', t.id);
  item.accessibilityInformation = { label: `Trace ${prompt}, ${t.stepCount} steps${t.score === null ? '' : `, score ${formatScore(t.score)}`}` };
  return item;
}

export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(2);
}
