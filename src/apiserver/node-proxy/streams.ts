// pods/exec, pods/attach and pods/portforward (GET or POST): check the pod, container and node as
// upstream's streamLocation does, then proxy the upgrade to the kubelet. A request that does not
// ask to switch protocols gets upstream's "Upgrade request required".
import { errors } from '../../api/errors.js';
import type { Scope } from '../handlers/scope.js';
import type { KubeletClient } from './kubelet-client.js';
import { boundNode, resolveContainer, type PodLike } from './pod-target.js';
import { kubeletStreamPath, kubeletStreamQuery, parseStreamOptions, type StreamKind } from './stream-options.js';
import { isUpgradeRequest, takeOverUpgrade, upgradeOf } from './upgrade.js';
import { proxyUpgrade } from './upgrade-proxy.js';

export async function handleStream(scope: Scope, kind: StreamKind, kubelet: KubeletClient): Promise<void> {
  const { info, req, res } = scope;
  if (info.verb !== 'get' && info.verb !== 'create') throw errors.methodNotSupported('', `pods/${kind}`, info.verb);
  const opts = parseStreamOptions(kind, scope.query);
  const pod = (await scope.rstore.get(info.namespace, info.name)).obj as PodLike;
  const container = kind === 'portforward' ? '' : resolveContainer(pod, opts.container);
  const node = boundNode(pod);
  if (kind !== 'portforward') {
    const phase = pod.status?.phase;
    // kubectl checks this itself; other clients get the same answer instead of a kubelet error.
    if (phase === 'Succeeded' || phase === 'Failed') throw errors.badRequest(`cannot ${kind} into a container in a completed pod; current phase is ${phase}`);
  }
  if (kind === 'exec' && opts.command.length === 0) throw errors.badRequest('you must specify at least one command for the container');
  const upgrade = upgradeOf(req);
  if (!upgrade || !isUpgradeRequest(req)) throw errors.badRequest('Upgrade request required');

  const query = kubeletStreamQuery(kind, opts);
  const path = kubeletStreamPath(kind, info.namespace, info.name, container) + (query ? `?${query}` : '');
  // Errors up to here are answered as Status on the response; from here on the socket is ours.
  res.statusCode = await proxyUpgrade({
    kubelet, nodeName: node, method: req.method ?? 'GET', path, rawHeaders: req.rawHeaders, upgrade,
    claim: () => takeOverUpgrade(req, res),
  });
}
