// An in-memory line stream for fake transports: push lines, end it, iterate it once.
export class LineChannel implements AsyncIterable<string> {
  private buffered: string[] = [];
  private waiting: ((r: IteratorResult<string>) => void) | undefined;
  private ended = false;

  get closed(): boolean {
    return this.ended;
  }

  push(line: string): void {
    if (this.ended) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: line, done: false });
    } else this.buffered.push(line);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiting && this.buffered.length === 0) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return {
      next: () => {
        if (this.buffered.length) return Promise.resolve({ value: this.buffered.shift()!, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => (this.waiting = r));
      },
      return: () => {
        this.end();
        this.buffered = [];
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
