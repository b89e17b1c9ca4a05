// The in-tree plugins by name. Built on request (no import-time registration); a caller may add
// its own factories to the map before creating the scheduler.
import type { Registry } from '../framework/interface.js';
import * as defaultBinder from './default-binder/index.js';
import * as defaultPreemption from './default-preemption/index.js';
import * as interPodAffinity from './inter-pod-affinity/index.js';
import * as nodeAffinity from './node-affinity/index.js';
import * as nodeName from './node-name/index.js';
import * as nodePorts from './node-ports/index.js';
import * as balancedAllocation from './node-resources-balanced-allocation/index.js';
import * as nodeResourcesFit from './node-resources-fit/index.js';
import * as nodeUnschedulable from './node-unschedulable/index.js';
import * as podTopologySpread from './pod-topology-spread/index.js';
import * as prioritySort from './priority-sort/index.js';
import * as taintToleration from './taint-toleration/index.js';

export function inTreeRegistry(): Registry {
  return new Map(
    [prioritySort, nodeUnschedulable, nodeName, nodePorts, nodeResourcesFit, balancedAllocation, nodeAffinity, taintToleration, podTopologySpread, interPodAffinity, defaultPreemption, defaultBinder].map((p) => [p.NAME, p.factory]),
  );
}
