// Group commit: writes submitted during one turn of the event loop are committed together by a
// single call of `commit` (one transaction, one fsync), and each promise settles only after that
// call returned — i.e. after COMMIT. setImmediate (not a microtask) closes the batch, so writes
// from all the I/O callbacks of one loop turn (many HTTP requests) share a transaction.

/** The outcome of one write: its result, or the error of its own check. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: Error };

/**
 * Commits ops atomically and returns one outcome per op, in order. Throws when the batch as a
 * whole could not commit (then nothing of it is stored).
 */
export type CommitFn<Op, R> = (ops: Op[]) => Outcome<R>[];

interface Pending<Op, R> {
  op: Op;
  resolve: (value: R) => void;
  reject: (err: Error) => void;
}

export class GroupCommit<Op, R> {
  private queue: Pending<Op, R>[] = [];
  private scheduled = false;

  constructor(private readonly commit: CommitFn<Op, R>) {}

  submit(op: Op): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits whatever is queued now (close() uses it so no accepted write is dropped). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const outcomes = this.commitAll(batch.map((p) => p.op));
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }

  private commitAll(ops: Op[]): Outcome<R>[] {
    try {
      return this.commit(ops);
    } catch (err) {
      // One unexpected failure (a value too big, a disk error) must not fail its neighbours:
      // retry each write alone so only the writes that really cannot commit are refused.
      if (ops.length === 1) return [{ ok: false, error: toError(err) }];
      return ops.map((op) => {
        try {
          return this.commit([op])[0]!;
        } catch (e) {
          return { ok: false, error: toError(e) };
        }
      });
    }
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
