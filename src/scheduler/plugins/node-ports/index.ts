// NodePorts: a pod asking for host ports fits only where those ports (by IP and protocol; the
// wildcard 0.0.0.0 conflicts with every IP) are free.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { EnqueueExtensions, FilterPlugin, PluginFactory, PreFilterPlugin } from '../../framework/interface.js';
import { Status, type MaybeStatus } from '../../framework/status.js';
import { hostPorts, type NodeInfo } from '../../framework/types.js';

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const STATE_KEY = `PreFilter${NAME}`;

type Ports = ReturnType<typeof hostPorts>;

class PortsState implements StateData {
  constructor(readonly ports: Ports) {}
  clone(): StateData {
    return this;
  }
}

export function fitsPorts(ports: Ports, nodeInfo: NodeInfo): boolean {
  return ports.every((p) => !nodeInfo.usedPorts.checkConflict(p.hostIP, p.protocol, p.hostPort));
}

export const nodePorts = {
  name: NAME,
  preFilter(state: CycleState, pod: Pod): MaybeStatus {
    const ports = hostPorts(pod);
    if (ports.length === 0) return Status.skip();
    state.write(STATE_KEY, new PortsState(ports));
    return undefined;
  },
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const ports = state.read<PortsState>(STATE_KEY)?.ports ?? hostPorts(pod);
    return fitsPorts(ports, nodeInfo) ? undefined : Status.unschedulable(ERR_REASON);
  },
  eventsToRegister() {
    return [
      { event: { resource: 'AssignedPod' as const, actions: ['Delete' as const] } },
      { event: { resource: 'Node' as const, actions: ['Add' as const, 'Update' as const] } },
    ];
  },
} satisfies PreFilterPlugin & FilterPlugin & EnqueueExtensions;

export const factory: PluginFactory = () => nodePorts;
