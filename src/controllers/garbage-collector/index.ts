// The garbage collector controller ("garbagecollector", as upstream names it).
import type { ControllerFactory } from '../types.js';
import { GarbageCollector, type GarbageCollectorOptions } from './garbage-collector.js';

export { GarbageCollector, IGNORED_RESOURCES, type GarbageCollectorOptions } from './garbage-collector.js';
export { GraphBuilder, type GraphEvent } from './graph-builder.js';
export { GraphNode, type ObjectReference } from './graph.js';
export { discoverResources, preferredWithVerbs, RestMapper, GroupDiscoveryFailedError, type DiscoveredResource, type DiscoveryResult, type DiscoverFn } from './discovery.js';

/** A factory with options (tests shorten the periods). */
export function newGarbageCollectorFactory(opts: GarbageCollectorOptions = {}): ControllerFactory {
  return (ctx) => new GarbageCollector(ctx, opts);
}

export const garbageCollectorFactory: ControllerFactory = newGarbageCollectorFactory();
