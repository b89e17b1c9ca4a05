// Writes pod status to the API (upstream's status manager): only when it changed from what was
// last written, as a merge patch of the status subresource that carries the pod's UID so a
// status never lands on a newer pod of the same name.
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { isNotFound, resources, type RestClient } from '../../client/index.js';

export class StatusManager {
  /** uid → the JSON of the last status written (or the one the API already had). */
  private readonly last = new Map<string, string>();

  constructor(private readonly client: RestClient, private readonly onError: (pod: Pod, e: unknown) => void) {}

  async setStatus(pod: Pod, status: PodStatus): Promise<void> {
    const uid = pod.metadata!.uid!;
    const text = JSON.stringify(comparable(status));
    if (this.last.get(uid) === text) return;
    if (!this.last.has(uid) && JSON.stringify(comparable(pod.status ?? {})) === text) {
      this.last.set(uid, text);
      return;
    }
    try {
      await this.client.resource(resources.pods).namespace(pod.metadata!.namespace!).patch(
        pod.metadata!.name!,
        { metadata: { uid }, status },
        { type: 'merge', subresource: 'status' },
      );
      this.last.set(uid, text);
    } catch (e) {
      if (isNotFound(e)) return;
      this.onError(pod, e);
      throw e;
    }
  }

  /** The last status written for the pod, if any (for tests and the node server). */
  written(uid: string): PodStatus | undefined {
    const t = this.last.get(uid);
    return t ? (JSON.parse(t) as PodStatus) : undefined;
  }

  forget(uid: string): void {
    this.last.delete(uid);
  }
}

/** Status as compared: condition probe times do not count as a change. */
function comparable(s: PodStatus): PodStatus {
  return { ...s, conditions: s.conditions?.map((c) => ({ ...c, lastProbeTime: undefined })) };
}
