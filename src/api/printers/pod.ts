// Pods and pod templates. The pod STATUS column is upstream's summary of phase, reason, init
// containers (Init:1/3, Init:CrashLoopBackOff, Init:Error…), container states (CrashLoopBackOff,
// Completed, ExitCode:1, Signal:9…), deletion (Terminating) and lost nodes (Unknown).
import type { ContainerStatus, Pod, PodCondition, PodTemplate } from 'kubernetes-types/core/v1.js';
import { formatLabels } from '../selectors/label-selector.js';
import { containerCells, humanDuration, parseTime, since } from './format.js';
import { AGE_COLUMN, NAME_COLUMN, col, printer, wide, type TableRowCondition, type TablePrinter } from './types.js';

/** The reason a node controller puts on pods of an unreachable node. */
const NODE_UNREACHABLE_REASON = 'NodeLost';

const SUCCEEDED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const FAILED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

function conditionTrue(conditions: PodCondition[] | undefined, type: string): boolean {
  for (const c of conditions ?? []) if (c.type === type) return c.status === 'True';
  return false;
}

function hasReadyCondition(conditions: PodCondition[] | undefined): boolean {
  return (conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The latest finish time among the containers' last terminations (epoch ms), tracked as upstream. */
function laterTermination(current: number | undefined, status: ContainerStatus): number | undefined {
  const finished = parseTime(status.lastState?.terminated?.finishedAt);
  if (finished === undefined) return current;
  return current === undefined || current < finished ? finished : current;
}

/** The cells READY, STATUS and RESTARTS of a pod (upstream's printPod). */
export function podSummary(pod: Pod, now: number): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = (spec.containers ?? []).length;
  let readyCount = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initContainers = new Map((spec.initContainers ?? []).map((c) => [c.name, c]));
  const isSidecar = (name: string) => initContainers.get(name)?.restartPolicy === 'Always';
  for (const c of spec.initContainers ?? []) if (c.restartPolicy === 'Always') total++;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    lastRestart = laterTermination(lastRestart, c);
    if (isSidecar(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = laterTermination(lastSidecarRestart, c);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isSidecar(c.name) && c.started === true) {
      if (c.ready) readyCount++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = laterTermination(lastRestart, c);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting && waiting.reason) {
        reason = waiting.reason;
      } else if (terminated && terminated.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyCount++;
      }
    }
    // A pod whose containers finished but one still runs is Running (or NotReady).
    if (reason === 'Completed' && hasRunning) reason = hasReadyCondition(status.conditions) ? 'Running' : 'NotReady';
  }

  const deleting = pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
  if (deleting && status.reason === NODE_UNREACHABLE_REASON) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsText = `${restarts} (${humanDuration(now - lastRestart)} ago)`;

  return { ready: `${readyCount}/${total}`, status: reason, restarts: restartsText };
}

function podRow(pod: Pod, now: number): unknown[] {
  const { ready, status, restarts } = podSummary(pod, now);
  const st = pod.status ?? {};
  const ip = st.podIP || st.podIPs?.[0]?.ip || '<none>';
  const gates = pod.spec?.readinessGates ?? [];
  let readinessGates = '<none>';
  if (gates.length > 0) {
    let trueCount = 0;
    for (const g of gates) {
      const c = (st.conditions ?? []).find((x) => x.type === g.conditionType);
      if (c?.status === 'True') trueCount++;
    }
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [
    pod.metadata?.name ?? '',
    ready,
    status,
    restarts,
    since(pod.metadata?.creationTimestamp, now),
    ip,
    pod.spec?.nodeName || '<none>',
    st.nominatedNodeName || '<none>',
    readinessGates,
  ];
}

export const podPrinter: TablePrinter = printer<Pod>(
  [
    NAME_COLUMN,
    col('Ready', 'string', 'Ready containers of all containers.'),
    col('Status', 'string', 'Summary of the pod and container states.'),
    col('Restarts', 'string', 'Container restarts, and how long ago the last one was.'),
    AGE_COLUMN,
    wide('IP', 'string', 'Pod IP address.'),
    wide('Node', 'string', 'Node the pod is bound to.'),
    wide('Nominated Node', 'string', 'Node nominated by preemption.'),
    wide('Readiness Gates', 'string', 'Readiness gates that are true, of all gates.'),
  ],
  podRow,
  (pod) => (pod.status?.phase === 'Succeeded' ? SUCCEEDED : pod.status?.phase === 'Failed' ? FAILED : undefined),
);

export const podTemplatePrinter: TablePrinter = printer<PodTemplate>(
  [
    NAME_COLUMN,
    col('Containers', 'string', 'Container names in the template.'),
    col('Images', 'string', 'Container images in the template.'),
    col('Pod Labels', 'string', 'Labels of the template.'),
  ],
  (t) => {
    const [names, images] = containerCells(t.template?.spec?.containers);
    return [t.metadata?.name ?? '', names, images, formatLabels(t.template?.metadata?.labels)];
  },
);
