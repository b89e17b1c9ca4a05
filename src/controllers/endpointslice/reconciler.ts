// Turns a Service's current EndpointSlices into the desired ones with as few writes as it can
// (upstream's k8s.io/endpointslice Reconciler):
//  1. per address type, desired endpoints are grouped by the port set their pod offers;
//  2. per port set, existing slices keep the endpoints still desired (changed ones updated in
//     place), lose the others, and are deleted when emptied;
//  3. leftover endpoints fill the slices already being updated (fullest first), then the
//     unchanged slice they fit best, then new slices of at most maxEndpointsPerSlice;
//  4. a create paired with a delete becomes an update of the doomed slice;
//  5. a Service without endpoints keeps one empty placeholder slice.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { hasStatusCause, isNotFound, resources, type Lister, type RestClient } from '../../client/index.js';
import { EndpointSet, endpointsEqualBeyondKey, portMapKey } from './endpoint-set.js';
import type { EndpointSliceTracker } from './slice-tracker.js';
import {
  addressTypesForService, endpointPorts, newEndpointSlice, ownedBy, podToEndpoint, setTriggerTime, sliceLabels, sliceToFill,
  type AddressType,
} from './slice-utils.js';
import { semanticEqual } from './util/semantic.js';
import { shouldPodBeInEndpoints } from './util/pods.js';

export interface ReconcilerOptions {
  client: RestClient;
  nodeLister: Lister<Node>;
  maxEndpointsPerSlice: number;
  tracker: EndpointSliceTracker;
}

interface Plan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

export class Reconciler {
  constructor(private readonly opts: ReconcilerOptions) {}

  /** Creates, updates and deletes the Service's slices so they list `pods`. Throws the errors met, together. */
  async reconcile(service: Service, pods: Pod[], existing: EndpointSlice[], triggerTime: number | undefined): Promise<void> {
    const errs: string[] = [];
    const types = addressTypesForService(service);
    const byType = new Map<string, EndpointSlice[]>();
    const unsupported: EndpointSlice[] = [];
    for (const s of existing) {
      if (!types.has(s.addressType as AddressType)) unsupported.push(s);
      else byType.set(s.addressType, [...(byType.get(s.addressType) ?? []), s]);
    }
    for (const t of types) {
      try {
        await this.reconcileByAddressType(service, pods, byType.get(t) ?? [], triggerTime, t, errs);
      } catch (e) {
        errs.push((e as Error).message ?? String(e));
      }
    }
    for (const s of unsupported) {
      try {
        await this.deleteSlice(service, s);
      } catch (e) {
        errs.push(`error deleting ${s.metadata?.name} EndpointSlice for Service ${service.metadata?.namespace}/${service.metadata?.name}: ${(e as Error).message}`);
      }
    }
    if (errs.length) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  }

  private async reconcileByAddressType(service: Service, pods: Pod[], existing: EndpointSlice[], triggerTime: number | undefined, addressType: AddressType, errs: string[]): Promise<void> {
    const plan: Plan = { create: [], update: [], delete: [] };
    const existingByPorts = new Map<string, EndpointSlice[]>();
    for (const s of existing) {
      if (!ownedBy(s, service)) {
        plan.delete.push(s); // left by an earlier Service of the same name
        continue;
      }
      const k = portMapKey(s.ports);
      existingByPorts.set(k, [...(existingByPorts.get(k) ?? []), s]);
    }

    const desiredPorts = new Map<string, EndpointPort[]>();
    const desired = new Map<string, EndpointSet>();
    const publishNotReady = !!service.spec?.publishNotReadyAddresses;
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ports = endpointPorts(service, pod);
      const k = portMapKey(ports);
      if (!desired.has(k)) {
        desired.set(k, new EndpointSet());
        desiredPorts.set(k, ports);
      }
      const nodeName = pod.spec?.nodeName ?? '';
      const node = this.opts.nodeLister.get(nodeName);
      if (!node && !publishNotReady) {
        // Left out for now (and retried): the pod GC will remove pods of a vanished node.
        errs.push(`skipping Pod ${pod.metadata?.name} for Service ${service.metadata?.namespace}/${service.metadata?.name}: Node ${nodeName} Not Found`);
        continue;
      }
      const ep = podToEndpoint(pod, node, service, addressType);
      if (ep.addresses.length) desired.get(k)!.insert(ep);
    }

    for (const [k, set] of desired) {
      const p = this.reconcileByPortMapping(service, existingByPorts.get(k) ?? [], set, desiredPorts.get(k)!, addressType);
      plan.create.push(...p.create);
      plan.update.push(...p.update);
      plan.delete.push(...p.delete);
    }
    // Port sets no longer offered by any pod.
    for (const [k, slices] of existingByPorts) if (!desired.has(k)) plan.delete.push(...slices);

    // Keep one (placeholder) slice when there would be none.
    if (existing.length === plan.delete.length && plan.create.length < 1) {
      const placeholder = newEndpointSlice(service, [], addressType);
      if (plan.delete.length === 1 && isPlaceholderLike(plan.delete[0], placeholder)) plan.delete = [];
      else plan.create.push(placeholder);
    }
    await this.finalize(service, plan, triggerTime);
  }

  private reconcileByPortMapping(service: Service, existing: EndpointSlice[], desired: EndpointSet, ports: EndpointPort[], addressType: AddressType): Plan {
    const byName = new Map<string, EndpointSlice>();
    const unchanged = new Set<string>();
    const toUpdate = new Set<string>();
    const toDelete = new Set<string>();

    // 1. keep what is still desired, update what changed, drop the rest
    for (const s of existing) {
      const name = s.metadata?.name ?? '';
      byName.set(name, s);
      const kept = [];
      let updated = false;
      for (const ep of s.endpoints ?? []) {
        const want = desired.get(ep);
        if (!want) continue;
        kept.push(want);
        if (!endpointsEqualBeyondKey(want, ep)) updated = true;
        desired.delete(ep);
      }
      const { labels, changed } = sliceLabels(s, service);
      if (updated || kept.length !== (s.endpoints ?? []).length) {
        if (!kept.length) toDelete.add(name);
        else {
          byName.set(name, { ...structuredClone(s), endpoints: kept, metadata: { ...structuredClone(s.metadata), labels } });
          toUpdate.add(name);
        }
      } else if (changed) {
        byName.set(name, { ...structuredClone(s), metadata: { ...structuredClone(s.metadata), labels } });
        toUpdate.add(name);
      } else {
        unchanged.add(name);
      }
    }

    const max = this.opts.maxEndpointsPerSlice;
    // 2. fill the slices being updated anyway, fullest first
    if (desired.size && toUpdate.size) {
      const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
      for (const s of slices) fill(s, desired, max);
    }

    // 3. the best-fitting unchanged slice, else new slices
    const create: EndpointSlice[] = [];
    while (desired.size) {
      let target: EndpointSlice | undefined;
      if (desired.size < max && unchanged.size) {
        const found = sliceToFill([...unchanged].map((n) => byName.get(n)!), desired.size, max);
        if (found) {
          target = structuredClone(found);
          byName.set(found.metadata!.name!, target);
        }
      }
      target ??= newEndpointSlice(service, ports, addressType);
      fill(target, desired, max);
      const name = target.metadata?.name;
      if (name) {
        toUpdate.add(name);
        unchanged.delete(name);
      } else {
        create.push(target);
      }
    }
    return { create, update: [...toUpdate].map((n) => byName.get(n)!), delete: [...toDelete].map((n) => byName.get(n)!) };
  }

  /** Writes the plan; a create paired with a delete reuses the doomed slice. */
  private async finalize(service: Service, plan: Plan, triggerTime: number | undefined): Promise<void> {
    const { create, update } = plan;
    const del = [...plan.delete];
    for (let i = 0; i < del.length && create.length;) {
      const doomed = del[i];
      const slice = create[create.length - 1];
      // Only slices of this Service and address type (immutable) can be reused.
      if (doomed.addressType === slice.addressType && ownedBy(doomed, service)) {
        slice.metadata = { ...slice.metadata, name: doomed.metadata?.name, resourceVersion: doomed.metadata?.resourceVersion, uid: doomed.metadata?.uid };
        delete slice.metadata.generateName;
        create.pop();
        update.push(slice);
        del.splice(i, 1);
      } else {
        i++;
      }
    }
    const ns = service.metadata?.namespace;
    const client = this.opts.client.resource(resources.endpointSlices).namespace(ns);
    const svcName = `${ns}/${service.metadata?.name}`;
    // No new slices for a Service being deleted: the garbage collector is removing them.
    if (!service.metadata?.deletionTimestamp) {
      for (const s of create) {
        setTriggerTime(s, triggerTime);
        try {
          this.opts.tracker.update(await client.create(s));
        } catch (e) {
          if (hasStatusCause(e, 'NamespaceTerminating')) return;
          throw new Error(`failed to create EndpointSlice for Service ${svcName}: ${(e as Error).message}`);
        }
      }
    }
    for (const s of update) {
      setTriggerTime(s, triggerTime);
      try {
        this.opts.tracker.update(await client.update(s));
      } catch (e) {
        throw new Error(`failed to update ${s.metadata?.name} EndpointSlice for Service ${svcName}: ${(e as Error).message}`);
      }
    }
    for (const s of del) {
      try {
        await this.deleteSlice(service, s);
      } catch (e) {
        throw new Error(`failed to delete ${s.metadata?.name} EndpointSlice for Service ${svcName}: ${(e as Error).message}`);
      }
    }
  }

  /** Deletes a slice; one already gone is fine. */
  private async deleteSlice(service: Service, slice: EndpointSlice): Promise<void> {
    try {
      await this.opts.client.resource(resources.endpointSlices).namespace(service.metadata?.namespace).delete(slice.metadata?.name ?? '');
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    this.opts.tracker.expectDeletion(slice);
  }
}

/** Moves desired endpoints into the slice until it holds `max`. */
function fill(slice: EndpointSlice, desired: EndpointSet, max: number): void {
  const eps = [...(slice.endpoints ?? [])];
  while (desired.size && eps.length < max) eps.push(desired.popAny()!);
  slice.endpoints = eps;
}

/** The existing slice is already the placeholder: same namespace, labels, owners, type, and no ports or endpoints. */
function isPlaceholderLike(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  const owners = (s: EndpointSlice) => (s.metadata?.ownerReferences ?? []).map((o) => ({ ...o }));
  return slice.metadata?.namespace === placeholder.metadata?.namespace &&
    semanticEqual(slice.metadata?.labels ?? {}, placeholder.metadata?.labels ?? {}) &&
    semanticEqual(owners(slice), owners(placeholder)) &&
    slice.addressType === placeholder.addressType &&
    semanticEqual(slice.endpoints, placeholder.endpoints) &&
    semanticEqual(slice.ports, placeholder.ports);
}
