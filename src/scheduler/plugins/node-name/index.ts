// NodeName: a pod that names its node (spec.nodeName) fits only there.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { EnqueueExtensions, FilterPlugin, PluginFactory } from '../../framework/interface.js';
import { Status, type MaybeStatus } from '../../framework/status.js';
import type { NodeInfo } from '../../framework/types.js';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

export const nodeName = {
  name: NAME,
  filter(_state: unknown, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const want = pod.spec?.nodeName;
    if (!want || want === nodeInfo.name) return undefined;
    return Status.unresolvable(ERR_REASON);
  },
  eventsToRegister() {
    return [{ event: { resource: 'Node' as const, actions: ['Add' as const] } }];
  },
} satisfies FilterPlugin & EnqueueExtensions;

export const factory: PluginFactory = () => nodeName;
