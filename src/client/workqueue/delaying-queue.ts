// A Queue that can also add an item later (client-go's DelayingInterface). Waiting items sit in
// a min-heap by ready time with one timer armed for the earliest; adding an item that already
// waits keeps the earlier of the two times.
import { realTimerClock, type Timer, type TimerClock } from '../clock.js';
import { Queue, type QueueOptions } from './queue.js';

export interface DelayingQueueOptions extends QueueOptions {
  clock?: TimerClock;
}

interface Waiting<T> {
  item: T;
  readyAt: number;
  seq: number;
  index: number;
}

export class DelayingQueue<T> extends Queue<T> {
  protected readonly clock: TimerClock;
  /** Min-heap on (readyAt, seq); `waitingByItem` indexes it, one entry per item. */
  private readonly heap: Waiting<T>[] = [];
  private readonly waitingByItem = new Map<T, Waiting<T>>();
  private seq = 0;
  private timer: Timer | undefined;
  private timerAt = Infinity;

  constructor(opts: DelayingQueueOptions = {}) {
    super(opts);
    this.clock = opts.clock ?? realTimerClock;
  }

  /** Adds `item` after `delayMs` (at once when ≤ 0). */
  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown()) return;
    if (delayMs <= 0) return this.add(item);
    const readyAt = this.clock.now() + delayMs;
    const w = this.waitingByItem.get(item);
    if (w) {
      if (readyAt < w.readyAt) {
        w.readyAt = readyAt;
        this.up(w.index);
      }
    } else {
      const e: Waiting<T> = { item, readyAt, seq: this.seq++, index: this.heap.length };
      this.heap.push(e);
      this.waitingByItem.set(item, e);
      this.up(e.index);
    }
    this.arm();
  }

  /** Items waiting for their time. */
  waitingLen(): number {
    return this.heap.length;
  }

  protected override onShutDown(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private arm(): void {
    const first = this.heap[0];
    if (!first) return;
    if (this.timer && this.timerAt <= first.readyAt) return;
    this.timer?.cancel();
    this.timerAt = first.readyAt;
    this.timer = this.clock.setTimer(() => this.fire(), first.readyAt - this.clock.now());
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    while (this.heap.length && this.heap[0]!.readyAt <= now) {
      const e = this.pop();
      this.waitingByItem.delete(e.item);
      this.add(e.item);
    }
    this.arm();
  }

  private less(a: Waiting<T>, b: Waiting<T>): boolean {
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const h = this.heap;
    [h[i], h[j]] = [h[j]!, h[i]!];
    h[i]!.index = i;
    h[j]!.index = j;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(this.heap[i]!, this.heap[p]!)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.heap[l]!, this.heap[m]!)) m = l;
      if (r < n && this.less(this.heap[r]!, this.heap[m]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private pop(): Waiting<T> {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length) {
      this.heap[0] = last;
      last.index = 0;
      this.down(0);
    }
    return top;
  }
}
