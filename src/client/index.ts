// k8ts client: what controllers, the scheduler and the kubelet use to talk to the API
// (client-go's shape). Never imports the apiserver or storage.
export { type Transport, type TransportRequest, type TransportResponse, type StreamRequest, type TransportStream, type Query, splitLines } from './transport.js';
export { HttpsTransport, type HttpsTransportOptions } from './https-transport.js';
export { loadKubeconfig, parseKubeconfig, type ClientConfig } from './kubeconfig.js';
export * from './errors.js';
export { type KubeObject, type UnstructuredObject, type KubeList, type GroupVersionResource, type ResourceType, resourceType, resourcePath, gvrString, apiVersionOf } from './resource.js';
export * as resources from './resources.js';
export { ResourceTable } from './resource-table.js';
export { RestClient, ResourceClient, type RestClientOptions, type ListOptions, type WatchOptions, type WriteOptions, type PatchOptions, type PatchType, type DeleteOptions } from './rest-client.js';
export { type Watch, type WatchEvent, type WatchEventType, decodeWatch } from './watch.js';
export { type Timer, type TimerClock, realTimerClock, FakeClock, sleep, jitter, settle } from './clock.js';
export { TokenBucket, ExponentialBackoff, type BackoffOptions } from './flowcontrol.js';
export * from './informers/index.js';
export * from './workqueue/index.js';
export { LeaseLock, type ResourceLock, type LeaderElectionRecord } from './lease-lock.js';
export { LeaderElector, type LeaderElectionConfig, type LeaderCallbacks } from './leader-election.js';
export { EventCorrelator, eventKey, eventName, aggregateKeys, AGGREGATE_MESSAGE_PREFIX, type CorrelateResult, type CorrelatorOptions } from './event-correlator.js';
export { EventBroadcaster, apiEventSink, getReference, type EventRecorder, type EventSink, type EventType, type EventBroadcasterOptions } from './event-recorder.js';
