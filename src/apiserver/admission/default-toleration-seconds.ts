// DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): every pod tolerates
// the node.kubernetes.io/not-ready and node.kubernetes.io/unreachable NoExecute taints for
// 300 s (by default), so its pods survive a short node outage but are evicted from a dead node —
// unless the pod already says how it tolerates them. Pods proper only (not subresources), on
// create and update, as upstream.
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  /** --default-not-ready-toleration-seconds (300). */
  notReadyTolerationSeconds?: number;
  /** --default-unreachable-toleration-seconds (300). */
  unreachableTolerationSeconds?: number;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export class DefaultTolerationSeconds implements AdmissionPlugin {
  readonly name = 'DefaultTolerationSeconds';
  private readonly notReadySeconds: number;
  private readonly unreachableSeconds: number;

  constructor(opts: DefaultTolerationSecondsOptions = {}) {
    this.notReadySeconds = opts.notReadyTolerationSeconds ?? 300;
    this.unreachableSeconds = opts.unreachableTolerationSeconds ?? 300;
  }

  async admit(a: AdmissionAttributes): Promise<void> {
    if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
    if (a.resource.group !== '' || a.resource.resource !== 'pods' || a.subresource) return;
    const pod = a.object;
    if (!pod || typeof pod !== 'object') return;
    const spec = (pod.spec ??= {}) as { tolerations?: Toleration[] | null };
    const tolerations = spec.tolerations ?? [];
    const tolerates = (key: string) => tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
    const notReady = tolerates(TAINT_NODE_NOT_READY);
    const unreachable = tolerates(TAINT_NODE_UNREACHABLE);
    if (notReady && unreachable) return;
    let out = [...tolerations];
    if (!notReady) out = addOrUpdateToleration(out, { key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.notReadySeconds });
    if (!unreachable) out = addOrUpdateToleration(out, { key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.unreachableSeconds });
    spec.tolerations = out;
  }
}

/** Replaces a toleration with the same key, operator, value and effect, else appends (AddOrUpdateTolerationInPod). */
function addOrUpdateToleration(tolerations: Toleration[], t: Toleration): Toleration[] {
  const same = (x: Toleration) => (x.key ?? '') === (t.key ?? '') && (x.operator ?? '') === (t.operator ?? '') && (x.value ?? '') === (t.value ?? '') && (x.effect ?? '') === (t.effect ?? '');
  const i = tolerations.findIndex(same);
  if (i < 0) return [...tolerations, t];
  const out = [...tolerations];
  out[i] = t;
  return out;
}
