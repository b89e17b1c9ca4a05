// Discovery: which groups, versions and resources the server serves, in the aggregated
// (apidiscovery.k8s.io/v2) and legacy (meta/v1) forms kubectl and client-go read.
export * from './types.js';
export { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery, wantsAggregatedDiscovery, type DiscoveryRoot } from './aggregated.js';
export { apiVersions, apiGroupList, apiGroup, apiResourceList, storageVersionHash } from './legacy.js';
export { DiscoveryDocuments, buildDiscoveryDocuments, type DiscoveryOptions, type DiscoveryAnswer } from './documents.js';
export { ServedDocument } from './served.js';
