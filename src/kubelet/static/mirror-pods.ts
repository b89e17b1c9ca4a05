// Mirror pods (upstream's mirror client): the API's view of this node's static pods. Each static
// pod has a mirror of the same name and namespace, annotated with its config hash and owned by
// the Node. The kubelet never runs a mirror; it keeps their set equal to the static pods:
// creates what is missing, deletes (grace 0) what is stale, orphaned or being deleted by a user —
// a deleted mirror comes back, the static pod keeps running.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { isAlreadyExists, isNotFound, resources, type RestClient } from '../../client/index.js';
import { CONFIG_HASH, CONFIG_MIRROR, isMirrorPod } from './manifest-source.js';

export interface MirrorPodsOptions {
  client: RestClient;
  nodeName: string;
  node(): Node | undefined;
  /** The pods bound to this node, as the kubelet's informer has them. */
  podsOnNode(): Pod[];
  warn(message: string): void;
}

const key = (p: Pod) => `${p.metadata!.namespace}/${p.metadata!.name}`;

export class MirrorPods {
  private running?: Promise<void>;
  private again = false;
  private readonly warned = new Set<string>();

  constructor(private readonly opts: MirrorPodsOptions) {}

  /** The mirror of a static pod, when the API has a current one. */
  mirrorOf(staticPod: Pod): Pod | undefined {
    const hash = staticPod.metadata!.annotations?.[CONFIG_HASH];
    return this.opts.podsOnNode().find((p) => isMirrorPod(p) && key(p) === key(staticPod) && p.metadata!.annotations![CONFIG_MIRROR] === hash && !p.metadata!.deletionTimestamp);
  }

  /** Brings the mirrors in line with `statics`; calls made while one runs collapse into one more. */
  sync(statics: () => Pod[]): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.syncOnce(statics()).catch((e) => this.opts.warn(`mirror pods: ${(e as Error).message}`));
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async syncOnce(statics: Pod[]): Promise<void> {
    const wanted = new Map(statics.map((p) => [key(p), p]));
    const pods = this.opts.podsOnNode();
    for (const m of pods.filter(isMirrorPod)) {
      const s = wanted.get(key(m));
      const current = s && m.metadata!.annotations![CONFIG_MIRROR] === s.metadata!.annotations?.[CONFIG_HASH];
      if (!current || m.metadata!.deletionTimestamp) await this.delete(m);
    }
    const node = this.opts.node();
    if (!node?.metadata?.uid) return; // owner reference needs the Node; the next sync creates them
    for (const s of statics) {
      const existing = pods.find((p) => key(p) === key(s));
      if (existing && !isMirrorPod(existing)) {
        this.warnOnce(key(s), `static pod ${key(s)}: a pod of that name exists in the API and is not its mirror; no mirror pod is made`);
        continue;
      }
      if (existing && isMirrorPod(existing) && existing.metadata!.annotations![CONFIG_MIRROR] === s.metadata!.annotations?.[CONFIG_HASH] && !existing.metadata!.deletionTimestamp) continue;
      await this.create(s, node);
    }
  }

  private async create(s: Pod, node: Node): Promise<void> {
    const m = s.metadata!;
    const body: Pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: m.name, namespace: m.namespace, labels: m.labels,
        annotations: { ...m.annotations, [CONFIG_MIRROR]: m.annotations![CONFIG_HASH]! },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.opts.nodeName, uid: node.metadata!.uid!, controller: true }],
      },
      spec: s.spec,
    };
    try {
      await this.opts.client.resource(resources.pods).namespace(m.namespace!).create(body);
    } catch (e) {
      // Still there (a deletion in progress): the informer's delete event brings another sync.
      if (!isAlreadyExists(e)) throw e;
    }
  }

  private async delete(mirror: Pod): Promise<void> {
    const m = mirror.metadata!;
    try {
      await this.opts.client.resource(resources.pods).namespace(m.namespace!).delete(m.name!, { gracePeriodSeconds: 0, preconditions: { uid: m.uid } });
    } catch (e) {
      if (!isNotFound(e) && (e as { code?: number }).code !== 409) throw e;
    }
  }

  private warnOnce(k: string, message: string): void {
    if (this.warned.has(k)) return;
    this.warned.add(k);
    this.opts.warn(message);
  }
}
