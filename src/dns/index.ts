// Cluster DNS (Kubernetes DNS specification 1.1.0, answered as CoreDNS's kubernetes plugin
// does): what a node agent runs, and the pure resolver for tools and tests.
export { startClusterDns, type ClusterDns, type ClusterDnsOptions } from './cluster-dns.js';
export { type ListenAddress } from './server.js';
export { resolve, type DnsQuestion, type Resolution, type ResolverOptions } from './resolver.js';
export { snapshotView, type ClusterView, type SnapshotObjects } from './cluster-view.js';
export { informerView } from './informer-view.js';
export { type PodMode, DNS_SCHEMA_VERSION } from './zone-nodes.js';
export { parseResolvConf, hostUpstreams } from './resolv-conf.js';
