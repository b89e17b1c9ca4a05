// Records core/v1 Events about objects, as client-go's record package does: a recorder makes an
// Event (name `<object>.<hex unix nanos>`, count 1, first/lastTimestamp, source), the
// broadcaster hands it to the EventCorrelator (aggregation, deduplication, spam filter) and
// writes the result — a POST for a new event, a strategic-merge PATCH of count/lastTimestamp/
// message for a repeat (falling back to a POST when the old event is gone). Writes are queued
// and done one at a time in the background; a failed write is retried (12 tries, 10 s apart,
// the first jittered) unless the server rejected the event itself.
import type { Event, EventSource, ObjectReference } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../util/clock.js';
import { realTimerClock, sleep, type TimerClock } from './clock.js';
import { ApiError, isAlreadyExists, isNotFound } from './errors.js';
import { EventCorrelator, eventName, type CorrelatorOptions } from './event-correlator.js';
import type { RestClient } from './rest-client.js';
import type { KubeObject } from './resource.js';
import { events } from './resources.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /** Records an event about `obj` (an object with kind/apiVersion set, or an ObjectReference). */
  event(obj: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void;
  /** Same, with annotations on the Event object. */
  annotatedEvent(obj: KubeObject | ObjectReference, annotations: Record<string, string>, type: EventType, reason: string, message: string): void;
}

/** Where events go; the API by default. */
export interface EventSink {
  create(e: Event): Promise<Event>;
  patch(e: Event, patch: unknown): Promise<Event>;
}

export function apiEventSink(client: RestClient): EventSink {
  const ev = client.resource(events);
  return {
    create: (e) => ev.namespace(e.metadata.namespace).create(e),
    patch: (e, p) => ev.namespace(e.metadata.namespace).patch(e.metadata.name!, p, { type: 'strategic' }),
  };
}

export interface EventBroadcasterOptions {
  clock?: TimerClock;
  /** Correlator settings (aggregation, spam filter). */
  correlator?: Omit<CorrelatorOptions, 'clock'>;
  /** Pause between write attempts (default 10 s). */
  retrySleepMs?: number;
  maxTries?: number;
  /** Events waiting to be written beyond this are dropped (default 1000). */
  queueLimit?: number;
  random?: () => number;
  /** Where failures are reported (default: stderr). */
  log?: (message: string) => void;
}

/** A reference to `obj` (ref.GetReference). */
export function getReference(obj: KubeObject | ObjectReference): ObjectReference {
  if (!('metadata' in obj)) return obj as ObjectReference;
  const o = obj as KubeObject;
  if (!o.kind || !o.apiVersion) throw new Error(`cannot reference an object without kind and apiVersion (${o.metadata?.name ?? '?'})`);
  const ref: ObjectReference = { kind: o.kind, apiVersion: o.apiVersion, name: o.metadata?.name };
  if (o.metadata?.namespace) ref.namespace = o.metadata.namespace;
  if (o.metadata?.uid) ref.uid = o.metadata.uid;
  if (o.metadata?.resourceVersion) ref.resourceVersion = o.metadata.resourceVersion;
  return ref;
}

export class EventBroadcaster {
  private readonly clock: TimerClock;
  private readonly correlator: EventCorrelator;
  private readonly sink: EventSink;
  /** Events made but not yet written, in order; written one at a time by `pump`. */
  private readonly queue: Event[] = [];
  private pumping: Promise<void> | undefined;
  private readonly listeners = new Set<(e: Event) => void>();
  private readonly abort = new AbortController();

  constructor(
    sink: RestClient | EventSink,
    private readonly opts: EventBroadcasterOptions = {},
  ) {
    this.clock = opts.clock ?? realTimerClock;
    this.sink = 'transport' in sink ? apiEventSink(sink) : sink;
    this.correlator = new EventCorrelator({ clock: this.clock, ...opts.correlator });
  }

  /** A recorder for one component (source.component) on one host (source.host). */
  newRecorder(source: EventSource): EventRecorder {
    const make = (obj: KubeObject | ObjectReference, annotations: Record<string, string> | undefined, type: EventType, reason: string, message: string) => {
      if (type !== 'Normal' && type !== 'Warning') {
        this.log(`unsupported event type: '${String(type)}'`);
        return;
      }
      let ref: ObjectReference;
      try {
        ref = getReference(obj);
      } catch (e) {
        this.log(`could not construct reference: ${(e as Error).message}; will not report event: '${type}' '${reason}' '${message}'`);
        return;
      }
      this.enqueue(this.makeEvent(ref, annotations, type, reason, message, source));
    };
    return {
      event: (obj, type, reason, message) => make(obj, undefined, type, reason, message),
      annotatedEvent: (obj, annotations, type, reason, message) => make(obj, annotations, type, reason, message),
    };
  }

  /** Also hands every recorded event to `fn` (e.g. to log it). Returns a remover. */
  addListener(fn: (e: Event) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves once every event recorded so far has been written (or given up on). */
  async flush(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /** Stops retrying, drops what is queued. */
  async shutdown(): Promise<void> {
    this.abort.abort();
    this.queue.length = 0;
    await this.flush();
  }

  private makeEvent(ref: ObjectReference, annotations: Record<string, string> | undefined, type: EventType, reason: string, message: string, source: EventSource): Event {
    const now = this.clock.now();
    const t = rfc3339(now);
    const e: Event = {
      metadata: { name: eventName(ref.name ?? '', now), namespace: ref.namespace || 'default' },
      involvedObject: ref,
      reason,
      message,
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type,
      source,
      reportingComponent: source.component ?? '',
      reportingInstance: source.host ?? '',
    };
    if (annotations) e.metadata.annotations = { ...annotations };
    return e;
  }

  private enqueue(e: Event): void {
    if (this.abort.signal.aborted) return;
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // a listener's failure is its own
      }
    }
    if (this.queue.length >= (this.opts.queueLimit ?? 1000)) {
      this.log(`event queue full, dropping event ${e.metadata.namespace}/${e.metadata.name}`);
      return;
    }
    this.queue.push(e);
    this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
  }

  private async pump(): Promise<void> {
    for (let e = this.queue.shift(); e; e = this.queue.shift()) await this.recordToSink(e);
  }

  /** recordToSink: correlate, then write with retries. */
  private async recordToSink(input: Event): Promise<void> {
    const result = this.correlator.correlate(input);
    if (result.skip) return;
    const maxTries = this.opts.maxTries ?? 12;
    const sleepMs = this.opts.retrySleepMs ?? 10_000;
    for (let tries = 1; ; tries++) {
      if (await this.recordEvent(result.event, result.patch)) return;
      if (tries >= maxTries) {
        this.log(`unable to write event '${result.event.metadata.namespace}/${result.event.metadata.name}' (retry limit exceeded!)`);
        return;
      }
      if (this.abort.signal.aborted) return;
      // The first pause is random so clients do not retry in step after an outage.
      await sleep(this.clock, tries === 1 ? sleepMs * (this.opts.random ?? Math.random)() : sleepMs, this.abort.signal);
      if (this.abort.signal.aborted) return;
    }
  }

  /** One write; true when done (written, or rejected for good), false to retry. */
  private async recordEvent(event: Event, patch: unknown): Promise<boolean> {
    let written: Event | undefined;
    let err: unknown;
    if (patch) {
      try {
        written = await this.sink.patch(event, patch);
      } catch (e) {
        err = e;
      }
    }
    // The old event may be gone (TTL): create it anew.
    if (!patch || (err !== undefined && isNotFound(err))) {
      err = undefined;
      try {
        const { resourceVersion: _rv, ...meta } = event.metadata;
        written = await this.sink.create({ ...event, metadata: meta });
      } catch (e) {
        err = e;
      }
    }
    if (err === undefined && written) {
      this.correlator.updateState(written);
      return true;
    }
    if (err instanceof ApiError) {
      // The server answered: retrying the same request will not help.
      if (!isAlreadyExists(err)) this.log(`server rejected event '${event.metadata.namespace}/${event.metadata.name}': ${err.message} (will not retry!)`);
      return true;
    }
    this.log(`unable to write event: ${String(err)} (may retry after sleeping)`);
    return false;
  }

  private log(message: string): void {
    if (this.opts.log) this.opts.log(message);
    else console.error(`events: ${message}`);
  }
}
