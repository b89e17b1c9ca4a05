// One write's allocations, as a small transaction (upstream's metaTransaction and
// PortAllocationOperation): values reserved now are undone by revert() when the write fails;
// releases of values the write gives up are deferred to commit(), so a failed update keeps them.
// A dry run reserves nothing: it only checks, and remembers what it handed out so one request
// never gets the same value twice.
import { AlreadyAllocatedError, NotInRangeError } from './errors.js';
import type { Owner, Reservations } from './reservations.js';

type AnyReservations = Reservations<string> | Reservations<number>;

export class AllocationOp {
  /** Reservations made by this op, freed again on revert. */
  private readonly made: Array<{ res: AnyReservations; value: string | number }> = [];
  /** Values to free once the write is stored. */
  private readonly deferred: Array<{ res: AnyReservations; value: string | number }> = [];
  /** Dry run only: values already handed out by this op. */
  private readonly handedOut = new Set<string>();

  constructor(
    readonly owner: Owner,
    readonly dryRun: boolean,
  ) {}

  /** Takes a requested value; NotInRangeError or AlreadyAllocatedError when it cannot. */
  async allocate<T extends string | number>(res: Reservations<T>, value: T): Promise<void> {
    if (res.range.offsetOf(value) === undefined) throw notInRange(res, value);
    if (!(await this.take(res, value))) throw new AlreadyAllocatedError(typeof value === 'number' ? 'port' : 'IP');
  }

  /** Takes a random free value; RangeFullError when none is left. */
  async allocateNext<T extends string | number>(res: Reservations<T>): Promise<T> {
    return res.next((v) => this.take(res, v));
  }

  /** Frees the value when the write commits (never in a dry run). */
  releaseLater<T extends string | number>(res: Reservations<T>, value: T): void {
    if (!this.dryRun) this.deferred.push({ res: res as AnyReservations, value });
  }

  async commit(): Promise<void> {
    for (const { res, value } of this.deferred.splice(0)) await (res as Reservations<string | number>).release(value, this.owner.uid);
    this.made.length = 0;
  }

  async revert(): Promise<void> {
    for (const { res, value } of this.made.splice(0)) await (res as Reservations<string | number>).release(value, this.owner.uid);
    this.deferred.length = 0;
  }

  private async take<T extends string | number>(res: Reservations<T>, value: T): Promise<boolean> {
    if (this.dryRun) {
      const k = res.keyOf(value);
      if (this.handedOut.has(k) || !(await res.isFree(value))) return false;
      this.handedOut.add(k);
      return true;
    }
    if (!(await res.reserve(value, this.owner))) return false;
    this.made.push({ res: res as AnyReservations, value });
    return true;
  }
}

function notInRange<T extends string | number>(res: Reservations<T>, value: T): NotInRangeError {
  if (typeof value === 'number') return new NotInRangeError(`provided port is not in the valid range. The range of valid ports is ${res.range.text}`);
  return new NotInRangeError(`the provided IP (${value}) is not in the valid range. The range of valid IPs is ${res.range.text}`);
}
