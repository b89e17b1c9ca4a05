// One range's allocations kept in the MVCC store as one key per allocated value
// (`<prefix>/<value>`, e.g. /registry/ranges/serviceips/10.96.0.10), much like newer upstream's
// IPAddress objects. Why keys and not one bitmap: a reservation is a create-if-absent of its own
// key, so two API servers (or two concurrent requests) racing for the same value see exactly one
// winner (KeyExists for the other) without retrying a shared document; a release is a delete at
// the read revision, and only by the owner the key names (a value re-reserved by another
// service is never freed by a stale release). Everything is in the store, so a restart, or
// another server on the same etcd, sees what is taken. The value records the owner and when it
// was reserved, so the repair pass can tell a leak (a crash between reservation and the object
// write) from a create still in flight.
import type { Store } from '../../storage/interface.js';
import { ConflictError, KeyExistsError, NotFoundError } from '../../storage/errors.js';
import type { Clock } from '../../util/clock.js';
import { RangeFullError } from './errors.js';
import type { ServiceRange } from './ranges.js';

export interface Owner {
  namespace: string;
  name: string;
  uid: string;
}

export interface Reservation extends Owner {
  /** Milliseconds since the epoch. */
  reservedAt: number;
}

export interface StoredReservation {
  key: string;
  /** undefined when the key's value lies outside the current range (the range was changed). */
  offset: number | undefined;
  value: string;
  owner: Reservation | undefined;
  modRevision: number;
}

/** Random tries before falling back to listing every reservation (only a nearly full band gets there). */
const RANDOM_TRIES = 8;

export class Reservations<T extends string | number> {
  constructor(
    private readonly store: Store,
    readonly prefix: string,
    readonly range: ServiceRange<T>,
    private readonly clock: Clock,
  ) {}

  keyOf(value: T): string {
    return `${this.prefix}/${value}`;
  }

  /** Takes the value for `owner`; false when someone holds it. */
  async reserve(value: T, owner: Owner): Promise<boolean> {
    const r: Reservation = { namespace: owner.namespace, name: owner.name, uid: owner.uid, reservedAt: this.clock.now() };
    try {
      await this.store.create(this.keyOf(value), JSON.stringify(r));
      return true;
    } catch (e) {
      if (e instanceof KeyExistsError) return false;
      throw e;
    }
  }

  async isFree(value: T): Promise<boolean> {
    return (await this.store.get(this.keyOf(value))).kv === null;
  }

  /**
   * Takes a random free value, the upper band first, through `take` (reserve, or for a dry run
   * only a check). Throws RangeFullError when nothing is free.
   */
  async next(take: (value: T) => Promise<boolean>): Promise<T> {
    const { size, staticBand } = this.range;
    const upper = size - staticBand;
    for (let i = 0; i < RANDOM_TRIES && upper > 0; i++) {
      const v = this.range.valueAt(staticBand + randomInt(upper));
      if (await take(v)) return v;
    }
    const used = new Set<number>();
    for (const r of await this.list()) if (r.offset !== undefined) used.add(r.offset);
    for (const [from, count] of [[staticBand, upper], [0, staticBand]] as const) {
      if (used.size >= size) break;
      const start = count > 0 ? randomInt(count) : 0;
      for (let i = 0; i < count; i++) {
        const at = from + ((start + i) % count);
        if (used.has(at)) continue;
        if (await take(this.range.valueAt(at))) return this.range.valueAt(at);
        used.add(at);
      }
    }
    throw new RangeFullError();
  }

  /** Frees the value if `uid` (when given) still owns it; a value already free is fine. */
  async release(value: T, uid?: string): Promise<void> {
    const { kv } = await this.store.get(this.keyOf(value));
    if (!kv) return;
    if (uid !== undefined && parseReservation(kv.value)?.uid !== uid) return;
    await this.deleteAt(kv.key, kv.modRevision);
  }

  /** Deletes a reservation key at the revision it was read (no-op if it changed meanwhile). */
  async deleteAt(key: string, modRevision: number): Promise<void> {
    try {
      await this.store.delete(key, modRevision);
    } catch (e) {
      if (!(e instanceof NotFoundError) && !(e instanceof ConflictError)) throw e;
    }
  }

  /** Every reservation, read at `revision` (default: current). */
  async list(revision?: number): Promise<StoredReservation[]> {
    const out: StoredReservation[] = [];
    const prefix = `${this.prefix}/`;
    let startKey: string | undefined;
    for (;;) {
      const r = await this.store.range(prefix, { revision, limit: 10_000, startKey });
      for (const kv of r.kvs) {
        const text = kv.key.slice(prefix.length);
        const value = (typeof this.range.valueAt(0) === 'number' ? Number(text) : text) as T;
        out.push({ key: kv.key, offset: this.range.offsetOf(value), value: text, owner: parseReservation(kv.value), modRevision: kv.modRevision });
      }
      if (!r.more || !r.kvs.length) break;
      revision = r.revision;
      startKey = r.kvs[r.kvs.length - 1]!.key + '\0';
    }
    return out;
  }
}

function parseReservation(text: string): Reservation | undefined {
  try {
    const v = JSON.parse(text) as Reservation;
    return typeof v?.uid === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function randomInt(n: number): number {
  return Math.floor(Math.random() * n);
}
