// Priority admission: resolves a pod's priorityClassName (or the cluster's globalDefault class)
// into spec.priority and spec.preemptionPolicy, and guards PriorityClass writes: user classes may
// not exceed one billion, and the `system-` prefix belongs to the built-in classes.
import { StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/strategies/types.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

/** The classes every cluster has (created at bootstrap), as upstream's scheduling/v1 helpers list them. */
export const SYSTEM_PRIORITY_CLASSES: { name: string; value: number; description: string }[] = [
  { name: 'system-node-critical', value: 2_000_001_000, description: 'For pods a node cannot work without.' },
  { name: 'system-cluster-critical', value: 2_000_000_000, description: 'For pods the cluster cannot work without; they may move between nodes.' },
];

export interface PriorityClassLookup {
  get(name: string): Promise<KObject | undefined>;
  list(): Promise<KObject[]>;
}

function forbidden(a: AdmissionAttributes, why: string): StatusError {
  const r = a.resource;
  const qr = r.group ? `${r.resource}.${r.group}` : r.resource;
  return new StatusError(403, 'Forbidden', `${qr} "${a.name}" is forbidden: ${why}`, { name: a.name, group: r.group, kind: r.resource });
}

export class Priority implements AdmissionPlugin {
  readonly name = 'Priority';

  constructor(private readonly classes: PriorityClassLookup) {}

  async admit(a: AdmissionAttributes): Promise<void> {
    if (a.subresource || a.operation !== 'CREATE' || a.resource.group !== '' || a.resource.resource !== 'pods' || !a.object) return;
    const spec = (a.object.spec ??= {});
    let value = 0;
    let policy: string | undefined;
    if (!spec.priorityClassName) {
      const def = (await this.classes.list()).filter((c) => c.globalDefault).sort((x, y) => x.value - y.value)[0];
      if (def) {
        spec.priorityClassName = def.metadata?.name;
        value = def.value;
        policy = def.preemptionPolicy;
      }
    } else {
      const pc = await this.classes.get(spec.priorityClassName);
      if (!pc) throw forbidden(a, `no PriorityClass with name ${spec.priorityClassName} was found`);
      value = pc.value;
      policy = pc.preemptionPolicy;
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== value) {
      throw forbidden(a, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
    }
    spec.priority = value;
    if (policy) {
      if (spec.preemptionPolicy && spec.preemptionPolicy !== policy) {
        throw forbidden(a, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
      }
      spec.preemptionPolicy = policy;
    }
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    if (a.subresource || a.resource.group !== 'scheduling.k8s.io' || a.resource.resource !== 'priorityclasses' || !a.object) return;
    if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
    const pc = a.object;
    const name = pc.metadata?.name ?? '';
    const system = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
    if (!system && name.startsWith('system-')) throw forbidden(a, "priority class names with 'system-' prefix are reserved for system use only");
    if (!system && pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      throw forbidden(a, `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`);
    }
    if (pc.globalDefault) {
      const other = (await this.classes.list()).find((c) => c.globalDefault && c.metadata?.name !== name);
      if (other) throw forbidden(a, `PriorityClass ${other.metadata?.name} is already marked as default. Only one default can exist`);
    }
  }
}
