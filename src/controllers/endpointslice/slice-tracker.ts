// Which EndpointSlice versions this controller wrote or deleted, per Service (upstream's
// EndpointSliceTracker), to tell its own writes coming back through the informer from changes
// made by others, and to notice a cache that lags behind its writes.
//
// Upstream compares metadata.generation. The k8ts apiserver does not (yet) keep a generation on
// EndpointSlices, so a slice without one is versioned by its resourceVersion, a number there.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { LABEL_SERVICE_NAME } from './slice-utils.js';

const DELETION_EXPECTED = -1;

export function sliceVersion(slice: EndpointSlice): number {
  const g = slice.metadata?.generation;
  if (typeof g === 'number') return g;
  const rv = Number(slice.metadata?.resourceVersion);
  return Number.isFinite(rv) ? rv : 0;
}

export class EndpointSliceTracker {
  /** `ns/service` → slice UID → the version we wrote, or DELETION_EXPECTED. */
  private readonly byService = new Map<string, Map<string, number>>();
  /** `ns/service` → the Service UID the versions were recorded for. */
  private readonly serviceUids = new Map<string, string>();

  private versionsOf(slice: EndpointSlice): Map<string, number> | undefined {
    return this.byService.get(serviceOf(slice));
  }

  private ensure(slice: EndpointSlice): Map<string, number> {
    const key = serviceOf(slice);
    let m = this.byService.get(key);
    if (!m) this.byService.set(key, (m = new Map()));
    return m;
  }

  has(slice: EndpointSlice): boolean {
    return !!this.versionsOf(slice)?.has(slice.metadata?.uid ?? '');
  }

  /** True unless this exact (or a newer) version is our own write. */
  shouldSync(slice: EndpointSlice): boolean {
    const v = this.versionsOf(slice)?.get(slice.metadata?.uid ?? '');
    return v === undefined || sliceVersion(slice) > v;
  }

  /**
   * True when the cache lags: a slice older than our write, one we deleted, or one we wrote
   * missing. Versions recorded for an earlier Service of the same name are dropped.
   */
  staleSlices(service: Service, slices: EndpointSlice[]): boolean {
    const key = `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
    const uid = service.metadata?.uid ?? '';
    const tracked = this.serviceUids.get(key);
    if (tracked && uid && tracked !== uid) this.byService.delete(key);
    this.serviceUids.set(key, uid);
    const versions = this.byService.get(key);
    if (!versions) return false;
    const seen = new Set<string>();
    for (const s of slices) {
      const id = s.metadata?.uid ?? '';
      seen.add(id);
      const v = versions.get(id);
      if (v !== undefined && (v === DELETION_EXPECTED || v > sliceVersion(s))) return true;
    }
    for (const [id, v] of versions) if (v !== DELETION_EXPECTED && !seen.has(id)) return true;
    return false;
  }

  update(slice: EndpointSlice): void {
    this.ensure(slice).set(slice.metadata?.uid ?? '', sliceVersion(slice));
  }

  expectDeletion(slice: EndpointSlice): void {
    this.ensure(slice).set(slice.metadata?.uid ?? '', DELETION_EXPECTED);
  }

  /** Forgets a deleted slice; false if we did not expect its deletion. */
  handleDeletion(slice: EndpointSlice): boolean {
    const m = this.versionsOf(slice);
    if (!m) return true;
    const id = slice.metadata?.uid ?? '';
    const v = m.get(id);
    m.delete(id);
    return v === undefined || v === DELETION_EXPECTED;
  }

  deleteService(namespace: string, name: string): void {
    this.byService.delete(`${namespace}/${name}`);
    this.serviceUids.delete(`${namespace}/${name}`);
  }
}

function serviceOf(slice: EndpointSlice): string {
  return `${slice.metadata?.namespace ?? ''}/${slice.metadata?.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
}
