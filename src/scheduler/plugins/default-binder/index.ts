// DefaultBinder: binds through the pods/binding subresource, which sets spec.nodeName and the
// PodScheduled condition.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { resources, type RestClient } from '../../../client/index.js';
import type { BindPlugin, PluginFactory } from '../../framework/interface.js';
import { Status, type MaybeStatus } from '../../framework/status.js';

export const NAME = 'DefaultBinder';

export function newDefaultBinder(client: RestClient | undefined): BindPlugin {
  return {
    name: NAME,
    async bind(_state: unknown, pod: Pod, nodeName: string): Promise<MaybeStatus> {
      if (!client) return Status.error(new Error('DefaultBinder has no client'));
      const md = pod.metadata ?? {};
      const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { namespace: md.namespace, name: md.name, uid: md.uid }, target: { kind: 'Node', name: nodeName } };
      try {
        await client.resource(resources.pods).namespace(md.namespace).createSubresource(md.name!, 'binding', binding);
        return undefined;
      } catch (e) {
        return Status.error(e);
      }
    },
  } satisfies BindPlugin;
}

export const factory: PluginFactory = (_args, handle) => newDefaultBinder(handle.client);
