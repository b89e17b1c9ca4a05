// Writes the node lifecycle controller makes to Node objects: swapping its taints
// (SwapNodeControllerTaint / RemoveTaintOffNode) and reconciling the beta OS/arch labels. Each
// starts from the cached node, writes a merge patch guarded by its resourceVersion, and on a
// conflict re-reads the node and tries again.
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import { isConflict, isNotFound, resources, type Lister, type RestClient } from '../../client/index.js';
import { rfc3339 } from '../../util/clock.js';
import { swapTaints } from './taints.js';

/** Attempts of one taint or label write (UpdateTaintBackoff.Steps). */
export const NODE_UPDATE_RETRIES = 5;

export interface NodeWriter {
  client: RestClient;
  nodeLister: Lister<Node>;
  now(): number;
}

/**
 * Adds `add` (stamped with timeAdded) and removes `remove` on the named node. Resolves true when
 * the node has them as asked (written or already so), false when the node is gone.
 */
export async function swapNodeTaints(w: NodeWriter, nodeName: string, add: readonly Taint[], remove: readonly Taint[]): Promise<boolean> {
  return patchNode(w, nodeName, (node) => {
    const taints = swapTaints(node.spec?.taints, add, remove, rfc3339(w.now()));
    return taints && { spec: { taints: taints.length ? taints : null } };
  });
}

/** Beta labels kept equal to their stable counterparts (labelReconcileInfo). */
const LABEL_RECONCILE = [
  { primary: 'kubernetes.io/os', secondary: 'beta.kubernetes.io/os' },
  { primary: 'kubernetes.io/arch', secondary: 'beta.kubernetes.io/arch' },
];

/** Sets beta.kubernetes.io/os and /arch from the stable labels when missing or different. */
export async function reconcileNodeLabels(w: NodeWriter, nodeName: string): Promise<boolean> {
  return patchNode(w, nodeName, (node) => {
    const labels = node.metadata?.labels;
    if (!labels) return undefined;
    const update: Record<string, string> = {};
    for (const { primary, secondary } of LABEL_RECONCILE) {
      const v = labels[primary];
      if (v !== undefined && labels[secondary] !== v) update[secondary] = v;
    }
    return Object.keys(update).length ? { metadata: { labels: update } } : undefined;
  });
}

/** Patches the node with what `change` asks of its current state (nothing when undefined). */
async function patchNode(w: NodeWriter, name: string, change: (node: Node) => Record<string, any> | undefined): Promise<boolean> {
  const nodes = w.client.resource(resources.nodes);
  let node = w.nodeLister.get(name);
  for (let i = 0; ; i++) {
    try {
      node ??= await nodes.get(name);
      const patch = change(node);
      if (!patch) return true;
      patch.metadata = { ...patch.metadata, resourceVersion: node.metadata?.resourceVersion };
      await nodes.patch(name, patch, { type: 'merge' });
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      if (!isConflict(e) || i + 1 >= NODE_UPDATE_RETRIES) throw e;
      node = undefined; // re-read
    }
  }
}
