// Which container of which pod on which node a logs/exec/attach request is for, with
// kube-apiserver's messages (pkg/registry/core/pod/strategy.go validateContainer).
import { errors } from '../../api/errors.js';

interface NamedContainer {
  name?: string;
}

export interface PodLike {
  metadata?: { name?: string; namespace?: string };
  spec?: { nodeName?: string; containers?: NamedContainer[]; initContainers?: NamedContainer[]; ephemeralContainers?: NamedContainer[] };
  status?: { phase?: string };
}

/** Every container name in upstream's visiting order: init, regular, ephemeral. */
export function containerNames(pod: PodLike): string[] {
  const s = pod.spec ?? {};
  return [...(s.initContainers ?? []), ...(s.containers ?? []), ...(s.ephemeralContainers ?? [])].map((c) => c.name ?? '');
}

/**
 * The container a request names, or the pod's only (regular) container when it names none.
 * 400 when none is named and the pod has several, or the named one is not in the pod.
 */
export function resolveContainer(pod: PodLike, requested: string): string {
  const name = pod.metadata?.name ?? '';
  if (requested) {
    if (!containerNames(pod).includes(requested)) throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const regular = pod.spec?.containers ?? [];
  if (regular.length === 1) return regular[0]!.name ?? '';
  if (regular.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
  // Go prints a []string as [a b c].
  throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containerNames(pod).join(' ')}]`);
}

/** The node a streaming request goes to; 400 for a pod not scheduled yet. */
export function boundNode(pod: PodLike): string {
  const node = pod.spec?.nodeName;
  if (!node) throw errors.badRequest(`pod ${pod.metadata?.name ?? ''} does not have a host assigned`);
  return node;
}
