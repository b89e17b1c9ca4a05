// Decides what an event becomes on the server, as client-go's EventCorrelator does:
//  - Aggregation: events alike but for their message (same source, object, type, reason) are
//    counted per 10-minute window; from the 10th distinct message on, they are written as one
//    event whose message is prefixed "(combined from similar events): ".
//  - Deduplication: an event identical to one already written (same source, object, field path,
//    type, reason, message) becomes a PATCH of that event: count + 1, new lastTimestamp.
//  - Spam filter: per source+object, a token bucket (burst 25, refilled one per 5 minutes); an
//    event without a token is dropped.
// Pure logic: no I/O. The recorder writes what correlate() returns and reports back with
// updateState() what the server answered.
import type { Event } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../util/clock.js';
import type { TimerClock } from './clock.js';
import { TokenBucket } from './flowcontrol.js';
import { LruCache } from './lru.js';

export const MAX_LRU_CACHE_ENTRIES = 4096;
/** Similar events with this many distinct messages are aggregated. */
export const DEFAULT_AGGREGATE_MAX_EVENTS = 10;
export const DEFAULT_AGGREGATE_INTERVAL_SECONDS = 600;
export const DEFAULT_SPAM_BURST = 25;
export const DEFAULT_SPAM_QPS = 1 / 300;
export const AGGREGATE_MESSAGE_PREFIX = '(combined from similar events): ';

export interface CorrelatorOptions {
  clock: TimerClock;
  maxEvents?: number;
  maxIntervalSeconds?: number;
  spamBurst?: number;
  spamQps?: number;
  /** Disables the spam filter. */
  noSpamFilter?: boolean;
}

export interface CorrelateResult {
  /** The event to write (create when `patch` is undefined, else patch the event named so). */
  event: Event;
  /** A strategic merge patch of count, lastTimestamp and message, for a repeated event. */
  patch?: { count: number; lastTimestamp: string; message: string };
  /** Dropped by the spam filter. */
  skip: boolean;
}

const join = (parts: Array<string | undefined>) => parts.map((p) => p ?? '').join('');

/** Identifies an event completely (getEventKey). */
export function eventKey(e: Event): string {
  const o = e.involvedObject;
  return join([e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message]);
}

/** Groups events alike but for their message (EventAggregatorByReasonFunc): [aggregate, local]. */
export function aggregateKeys(e: Event): [string, string] {
  const o = e.involvedObject;
  return [join([e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type, e.reason, e.reportingComponent, e.reportingInstance]), e.message ?? ''];
}

/** Per source and object (getSpamKey). */
export function spamKey(e: Event): string {
  const o = e.involvedObject;
  return join([e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type]);
}

/** The last nanosecond stamp handed out: names stay unique within the process. */
let lastNanos = 0n;

/**
 * `<object-name>.<hex unix nanos>`. Time here has millisecond resolution, so events made within
 * one millisecond get the following nanoseconds (names must not collide).
 */
export function eventName(objectName: string, ms: number): string {
  let nanos = BigInt(Math.floor(ms)) * 1_000_000n;
  if (nanos <= lastNanos) nanos = lastNanos + 1n;
  lastNanos = nanos;
  return `${objectName}.${nanos.toString(16)}`;
}

interface AggregateRecord {
  /** Distinct messages seen in the current window. */
  localKeys: Set<string>;
  lastTimestamp: number;
}

interface EventLog {
  count: number;
  firstTimestamp: string | undefined;
  name: string;
  resourceVersion: string | undefined;
}

export class EventCorrelator {
  private readonly aggregates = new LruCache<string, AggregateRecord>(MAX_LRU_CACHE_ENTRIES);
  private readonly observed = new LruCache<string, EventLog>(MAX_LRU_CACHE_ENTRIES);
  private readonly spam = new LruCache<string, TokenBucket>(MAX_LRU_CACHE_ENTRIES);
  constructor(private readonly o: CorrelatorOptions) {}

  correlate(input: Event): CorrelateResult {
    const [aggregated, key] = this.aggregate(input);
    const { event, patch } = this.observe(aggregated, key);
    return { event, patch, skip: this.filtered(event) };
  }

  /** Records what the server answered (its name and resourceVersion) for later patches. */
  updateState(e: Event): void {
    this.observed.set(eventKey(e), {
      count: e.count ?? 1,
      firstTimestamp: e.firstTimestamp,
      name: e.metadata.name ?? '',
      resourceVersion: e.metadata.resourceVersion,
    });
  }

  /** EventAggregate: the event itself, or the aggregate it now belongs to, with its cache key. */
  private aggregate(e: Event): [Event, string] {
    const now = this.o.clock.now();
    const [aggKey, localKey] = aggregateKeys(e);
    let rec = this.aggregates.get(aggKey) ?? { localKeys: new Set<string>(), lastTimestamp: 0 };
    if (now - rec.lastTimestamp > (this.o.maxIntervalSeconds ?? DEFAULT_AGGREGATE_INTERVAL_SECONDS) * 1000) {
      rec = { localKeys: new Set(), lastTimestamp: 0 };
    }
    rec.localKeys.add(localKey);
    rec.lastTimestamp = now;
    this.aggregates.set(aggKey, rec);
    if (rec.localKeys.size < (this.o.maxEvents ?? DEFAULT_AGGREGATE_MAX_EVENTS)) return [e, eventKey(e)];
    // Keep the set below the threshold so each further distinct message still aggregates.
    rec.localKeys.delete(rec.localKeys.values().next().value as string);
    const t = rfc3339(now);
    const agg: Event = {
      metadata: { name: eventName(e.involvedObject.name ?? '', now), namespace: e.metadata.namespace },
      count: 1,
      firstTimestamp: t,
      involvedObject: e.involvedObject,
      lastTimestamp: t,
      message: AGGREGATE_MESSAGE_PREFIX + (e.message ?? ''),
      type: e.type,
      reason: e.reason,
      source: e.source,
    };
    return [agg, aggKey];
  }

  /** eventObserve: a repeat of an event already written becomes a patch of it. */
  private observe(e: Event, key: string): { event: Event; patch?: CorrelateResult['patch'] } {
    const event: Event = { ...e, metadata: { ...e.metadata } };
    const last = this.observed.get(key);
    let patch: CorrelateResult['patch'];
    if (last && last.count > 0) {
      event.metadata = { ...event.metadata, name: last.name, resourceVersion: last.resourceVersion } as Event['metadata'];
      event.firstTimestamp = last.firstTimestamp;
      event.count = last.count + 1;
      patch = { count: event.count, lastTimestamp: event.lastTimestamp ?? rfc3339(this.o.clock.now()), message: event.message ?? '' };
    }
    this.observed.set(key, { count: event.count ?? 1, firstTimestamp: event.firstTimestamp, name: event.metadata.name ?? '', resourceVersion: event.metadata.resourceVersion });
    return { event, patch };
  }

  private filtered(e: Event): boolean {
    if (this.o.noSpamFilter) return false;
    const k = spamKey(e);
    let bucket = this.spam.get(k);
    if (!bucket) {
      bucket = new TokenBucket(this.o.spamQps ?? DEFAULT_SPAM_QPS, this.o.spamBurst ?? DEFAULT_SPAM_BURST, this.o.clock);
      this.spam.set(k, bucket);
    }
    return !bucket.tryAccept();
  }
}
