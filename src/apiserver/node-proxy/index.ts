// The API server's side of the node agent: pods/log, exec, attach and portforward proxied to the
// node's kubelet, and the kubelet client they (and the metrics API) share.
import type { Scope } from '../handlers/scope.js';
import type { KubeletClient } from './kubelet-client.js';
import { handleLog } from './logs.js';
import { handleStream } from './streams.js';

export { KubeletClient, type KubeletClientOptions, type KubeletRequest } from './kubelet-client.js';
export { nodeEndpoint, DEFAULT_KUBELET_PORT, type KubeletEndpoint, type NodeLike } from './node-endpoint.js';
export { prepareUpgrade, upgradeOf, isUpgradeRequest } from './upgrade.js';
export { agentCredentialsEndpoint, AGENT_CREDENTIALS_PATH } from './agent-credentials-endpoint.js';

export type SubresourceHandler = (scope: Scope) => Promise<void>;

/** Pod subresource handlers served through the node's kubelet, by subresource name. */
export function nodeProxyHandlers(kubelet: KubeletClient): Record<string, SubresourceHandler> {
  return {
    log: (scope) => handleLog(scope, kubelet),
    exec: (scope) => handleStream(scope, 'exec', kubelet),
    attach: (scope) => handleStream(scope, 'attach', kubelet),
    portforward: (scope) => handleStream(scope, 'portforward', kubelet),
  };
}
