// Helpers for the shared store contract tests (store-contract.ts).
import { vi } from 'vitest';
import type { Store, Watch, WatchEvent } from './interface.js';

/** Makes a fresh, empty store for one test. */
export type StoreFactory = () => Promise<Store> | Store;

export interface Recorder {
  events: WatchEvent[];
  /** Sizes of the batches onEvents received. */
  batches: number[];
  errors: Error[];
  watch: Watch;
  /** Resolves once at least n events arrived. */
  until(n: number): Promise<void>;
}

/** Watches prefix from afterRevision and records what arrives. */
export function record(store: Store, prefix: string, afterRevision: number): Recorder {
  const r: Omit<Recorder, 'watch'> = {
    events: [],
    batches: [],
    errors: [],
    until: (n) =>
      vi.waitFor(
        () => {
          if (r.errors.length > 0) throw r.errors[0];
          if (r.events.length < n) throw new Error(`waiting for ${n} events, have ${r.events.length}`);
        },
        { timeout: 5000, interval: 2 },
      ),
  };
  const watch = store.watch(
    prefix,
    { afterRevision },
    (events) => {
      r.batches.push(events.length);
      r.events.push(...events);
    },
    (err) => r.errors.push(err),
  );
  return { ...r, watch };
}

/** Resolves with the first error passed to a watch's onError. */
export function watchError(store: Store, prefix: string, afterRevision: number): Promise<Error> {
  return new Promise((resolve, reject) => {
    store.watch(prefix, { afterRevision }, () => reject(new Error('unexpected events')), resolve);
  });
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

/** Lets queued microtasks and immediates (group commit, watch delivery) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** A short summary of events for readable assertions. */
export function brief(events: WatchEvent[]): string[] {
  return events.map((e) => `${e.revision} ${e.type} ${e.kv.key}=${e.kv.value}${e.prevKv ? ` (was ${e.prevKv.value}@${e.prevKv.modRevision})` : ''}`);
}
