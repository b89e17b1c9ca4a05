// pods/binding (and the bindings collection): assigns a pending pod to a node, as the
// scheduler does. Only an unassigned pod may be bound.
import { errors, field } from '../../api/errors.js';
import { rfc3339 } from '../../util/clock.js';
import { readBody } from '../http/body.js';
import { writeJson, successStatus } from '../http/respond.js';
import { parseBody } from './decode.js';
import { storeFor, writeOptions, type Scope } from './scope.js';

export async function handleBinding(scope: Scope): Promise<void> {
  const opts = writeOptions(scope.query);
  const body = await readBody(scope.req);
  const binding = parseBody(scope, body).obj;
  if (binding.kind && binding.kind !== 'Binding') throw errors.badRequest(`the kind of the object (${binding.kind}) does not match the expected kind (Binding)`);
  const podName = scope.info.name || binding.metadata?.name;
  const node = binding.target?.name;
  if (!podName) throw errors.badRequest('a Binding needs metadata.name (the pod)');
  if (!node) throw errors.invalid('', 'Binding', podName, [field.required('target.name')]);
  const pods = storeFor(scope.ctx, scope.ctx.registry.get('', 'v1', 'pods')!)!;
  await pods.update(
    scope.info.namespace,
    podName,
    async (old) => {
      const pod = old!;
      if (pod.spec?.nodeName) throw errors.conflict('', 'pods', podName, `pod ${podName} is already assigned to node "${pod.spec.nodeName}"`);
      if (binding.metadata?.uid && binding.metadata.uid !== pod.metadata?.uid) throw errors.conflict('', 'pods', podName, 'Precondition failed: UID mismatch');
      if (pod.metadata?.deletionTimestamp) throw errors.conflict('', 'pods', podName, 'pod is being deleted');
      pod.spec.nodeName = node;
      const conds = (pod.status ??= {}).conditions ?? [];
      const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(scope.ctx.clock.now()) };
      pod.status.conditions = [...conds.filter((c: { type: string }) => c.type !== 'PodScheduled'), scheduled];
      return pod;
    },
    // A binding is the one write that changes spec and status together, as upstream's does.
    { dryRun: opts.dryRun, subresource: 'binding' },
  );
  writeJson(scope.req, scope.res, 201, { ...successStatus(), code: 201 });
}
