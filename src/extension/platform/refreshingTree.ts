// What every tree view of the extension does alike: refresh now or once after a burst of
// changes (an import commits many batches, a run reports progress several times a second),
// let tests wait for the last listing, and clean up. Subclasses list their nodes in
// `children` and draw them in `getTreeItem`.
import * as vscode from 'vscode';

export abstract class RefreshingTree<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<T | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  protected readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private timer: NodeJS.Timeout | undefined;
  private settled: Promise<void> = Promise.resolve();

  /** Redraws the whole tree now (a pending scheduled refresh is folded into it). */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changeEmitter.fire(undefined);
  }

  /** Redraws one node (and what is below it). */
  protected redraw(node: T): void {
    this.changeEmitter.fire(node);
  }

  /** Redraws once, `ms` after the first of a burst of changes. */
  protected scheduleRefresh(ms = 400): void {
    this.timer ??= setTimeout(() => this.refresh(), ms);
  }

  /**
   * Follows the database: a new database (another path) redraws at once; changes to the data
   * (an import commits many batches, another process writes) redraw once per burst.
   */
  protected followDatabase(stores: { onDidChange: vscode.Event<{ kind: string }> }): void {
    this.disposables.push(stores.onDidChange((e) => (e.kind === 'database' ? this.refresh() : this.scheduleRefresh())));
  }

  /** For tests: resolves when the last listing has been computed. */
  whenSettled(): Promise<void> {
    return this.settled;
  }

  getChildren(node?: T): Promise<T[]> {
    const work = this.children(node);
    this.settled = work.then(
      () => undefined,
      () => undefined,
    );
    return work;
  }

  protected abstract children(node?: T): Promise<T[]>;

  abstract getTreeItem(node: T): vscode.TreeItem | Thenable<vscode.TreeItem>;

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
