// A first-in, first-out queue of run ids with a concurrency limit. It only decides what
// starts when; the engine does the starting and tells it when a run ends.

export class RunQueue {
  private readonly waiting: string[] = [];
  private readonly active = new Set<string>();

  constructor(
    private limit: number,
    private readonly startRun: (id: string) => Promise<void>,
  ) {
    this.setLimit(limit);
  }

  setLimit(limit: number): void {
    this.limit = Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : 1;
    this.pump();
  }

  get maxConcurrent(): number {
    return this.limit;
  }

  enqueue(id: string): void {
    if (!this.waiting.includes(id) && !this.active.has(id)) this.waiting.push(id);
    this.pump();
  }

  /** Takes a waiting run out of the queue (cancelled before it started); true when it was waiting. */
  remove(id: string): boolean {
    const i = this.waiting.indexOf(id);
    if (i >= 0) this.waiting.splice(i, 1);
    return i >= 0;
  }

  /** Counts a run that started outside the queue (re-attached after a reload) against the limit. */
  markActive(id: string): void {
    this.remove(id);
    this.active.add(id);
  }

  /** A run ended (or failed to start): its slot is free. */
  release(id: string): void {
    this.active.delete(id);
    this.pump();
  }

  position(id: string): number | undefined {
    const i = this.waiting.indexOf(id);
    return i >= 0 ? i + 1 : undefined;
  }

  get activeCount(): number {
    return this.active.size;
  }

  get waitingIds(): readonly string[] {
    return this.waiting;
  }

  private pump(): void {
    while (this.active.size < this.limit && this.waiting.length) {
      const id = this.waiting.shift()!;
      this.active.add(id);
      // startRun records its own failures; a rejection here only frees the slot.
      this.startRun(id).catch(() => this.release(id));
    }
  }
}
