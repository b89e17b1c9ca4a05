// A work queue of keys (client-go's workqueue.Type). Its guarantees:
//  - Fair: items are processed in the order they were added.
//  - Stingy: an item added many times before it is processed is processed once.
//  - Exclusive: an item is never processed by two workers at once; an item added while it is
//    being processed is set aside and queued again when the worker calls done().
//  - Multiple consumers: any number of workers may await get() concurrently.
// Workers loop: `const n = await q.get(); if (n.shutdown) return; try { … } finally { q.done(n.item); }`.

export type GetResult<T> = { shutdown: false; item: T } | { shutdown: true };

export interface QueueOptions {
  name?: string;
}

export class Queue<T> {
  readonly name: string;
  /** Items waiting for a worker, in order; every one of them is in `dirty` and not in `processing`. */
  private items: T[] = [];
  private head = 0;
  /** Items that need processing: queued, or re-added while being processed. */
  private readonly dirty = new Set<T>();
  /** Items a worker holds right now (between get and done). */
  private readonly processing = new Set<T>();
  /** Workers blocked in get(), first come first served. */
  private waiters: Array<(r: GetResult<T>) => void> = [];
  private shutting = false;
  private drained: Array<() => void> = [];

  constructor(opts: QueueOptions = {}) {
    this.name = opts.name ?? '';
  }

  add(item: T): void {
    if (this.shutting || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.push(item);
  }

  /** Items waiting for a worker (not counting those being processed). */
  len(): number {
    return this.items.length - this.head;
  }

  /** Waits for an item; resolves `{ shutdown: true }` once shut down and empty. */
  get(): Promise<GetResult<T>> {
    if (this.len() > 0) return Promise.resolve({ shutdown: false, item: this.take() });
    if (this.shutting) return Promise.resolve({ shutdown: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `item` processed; if it was added meanwhile, it is queued again. */
  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) this.push(item);
    else if (this.processing.size === 0 && this.drained.length) {
      for (const r of this.drained.splice(0)) r();
    }
  }

  /** Refuses new items and wakes idle workers with `shutdown`; queued items are still handed out. */
  shutDown(): void {
    this.shutting = true;
    for (const w of this.waiters.splice(0)) w({ shutdown: true });
    this.onShutDown();
  }

  /** Shuts down, then waits until every item handed out has been marked done. */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return;
    await new Promise<void>((r) => this.drained.push(r));
  }

  shuttingDown(): boolean {
    return this.shutting;
  }

  /** Hook for subclasses (timers to cancel). */
  protected onShutDown(): void {}

  private push(item: T): void {
    const w = this.waiters.shift();
    if (w) {
      this.dirty.delete(item);
      this.processing.add(item);
      w({ shutdown: false, item });
      return;
    }
    this.items.push(item);
  }

  private take(): T {
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(item);
    this.processing.add(item);
    return item;
  }
}
