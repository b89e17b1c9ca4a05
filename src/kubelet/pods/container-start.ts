// Starting one container as upstream's kuberuntime does: make sure the image is there (events
// Pulling/Pulled), build the container config (command, args, env, mounts, limits, log path),
// create and start it (events Created/Started), then run the postStart hook. Failures come back
// as a waiting reason for the container status and a Warning event.
import type { Container, LifecycleHandler, Pod } from 'kubernetes-types/core/v1.js';
import { RuntimeError, type ContainerConfig, type LinuxContainerResources, type PodSandboxConfig } from '../runtime/cri.js';
import { listValue } from '../../api/resources/pod-resources.js';
import { runProbe } from '../probes/prober.js';
import { terminationLogMount } from './termination-message.js';
import type { PodSyncDeps } from './types.js';

export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';

export interface StartFailure {
  reason: string;
  message: string;
}

export function sandboxConfig(pod: Pod, logRoot: string): PodSandboxConfig {
  const m = pod.metadata!;
  return {
    metadata: { name: m.name!, uid: m.uid!, namespace: m.namespace!, attempt: 0 },
    hostname: pod.spec?.hostname ?? m.name,
    logDirectory: `${logRoot}/${m.namespace}_${m.name}_${m.uid}`,
    hostNetwork: true,
    labels: { [LABEL_POD_UID]: m.uid!, [LABEL_POD_NAME]: m.name!, [LABEL_POD_NAMESPACE]: m.namespace! },
    portMappings: (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({
      protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP' | 'SCTP', containerPort: p.containerPort, hostPort: p.hostPort, hostIp: p.hostIP,
    }))),
  };
}

/** CPU and memory limits in the runtime's terms (cpu quota per 100 ms period, bytes). */
export function linuxResources(c: Container): LinuxContainerResources {
  const limits = c.resources?.limits as Record<string, unknown> | undefined;
  const requests = c.resources?.requests as Record<string, unknown> | undefined;
  const out: LinuxContainerResources = {};
  const cpuLimit = listValue(limits, 'cpu', true);
  if (cpuLimit > 0) {
    out.cpuPeriod = 100_000;
    out.cpuQuota = Math.max(1000, Math.floor((cpuLimit * 100_000) / 1000));
  }
  const cpuRequest = listValue(requests, 'cpu', true) || cpuLimit;
  if (cpuRequest > 0) out.cpuShares = Math.max(2, Math.floor((cpuRequest * 1024) / 1000));
  const mem = listValue(limits, 'memory');
  if (mem > 0) out.memoryLimitInBytes = mem;
  return out;
}

/** Creates and starts attempt `attempt` of `c`; returns its ID, or why it could not start. */
export async function startContainer(
  deps: PodSyncDeps, pod: Pod, c: Container, attempt: number, sandboxId: string,
): Promise<{ id: string } | { failure: StartFailure }> {
  const fail = (reason: string, message: string) => {
    deps.recorder.event(podRef(pod, c), 'Warning', 'Failed', `Error: ${message}`);
    return { failure: { reason, message } };
  };
  const image = c.image ?? '';
  try {
    if (!(await deps.runtime.imageStatus({ image }))) {
      deps.recorder.event(podRef(pod, c), 'Normal', 'Pulling', `Pulling image "${image}"`);
      const started = deps.clock.now();
      await deps.runtime.pullImage({ image });
      const ms = deps.clock.now() - started;
      deps.recorder.event(podRef(pod, c), 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${ms}ms (${ms}ms including waiting). Image size: 0 bytes.`);
    } else {
      deps.recorder.event(podRef(pod, c), 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    }
  } catch (e) {
    deps.recorder.event(podRef(pod, c), 'Warning', 'Failed', `Failed to pull image "${image}": ${(e as Error).message}`);
    return { failure: { reason: 'ErrImagePull', message: (e as Error).message } };
  }

  let config: ContainerConfig;
  try {
    const envs = await deps.env(pod, c);
    config = {
      metadata: { name: c.name, attempt },
      image: { image },
      command: deps.expand(c.command, envs),
      args: deps.expand(c.args, envs),
      workingDir: c.workingDir,
      envs,
      mounts: [...deps.volumes.mountsFor(pod, c, envs), ...terminationLogMount(deps.podDir(pod.metadata!.uid!), c)],
      labels: {
        [LABEL_POD_UID]: pod.metadata!.uid!, [LABEL_POD_NAME]: pod.metadata!.name!,
        [LABEL_POD_NAMESPACE]: pod.metadata!.namespace!, [LABEL_CONTAINER_NAME]: c.name,
      },
      annotations: { 'io.kubernetes.container.restartCount': String(attempt) },
      logPath: `${c.name}/${attempt}.log`,
      stdin: c.stdin,
      stdinOnce: c.stdinOnce,
      tty: c.tty,
      linux: { resources: linuxResources(c) },
    };
  } catch (e) {
    return fail((e as { reason?: string }).reason ?? 'CreateContainerConfigError', (e as Error).message);
  }

  let id: string;
  try {
    id = await deps.runtime.createContainer(sandboxId, config, sandboxConfig(pod, deps.logRoot));
  } catch (e) {
    return fail(e instanceof RuntimeError ? e.reason : 'CreateContainerError', (e as Error).message);
  }
  deps.recorder.event(podRef(pod, c), 'Normal', 'Created', `Created container: ${c.name}`);
  try {
    await deps.runtime.startContainer(id);
  } catch (e) {
    return fail(e instanceof RuntimeError ? e.reason : 'RunContainerError', (e as Error).message);
  }
  deps.recorder.event(podRef(pod, c), 'Normal', 'Started', `Started container ${c.name}`);

  if (c.lifecycle?.postStart) {
    const err = await runHook(deps, pod, c, id, c.lifecycle.postStart, pod.spec?.terminationGracePeriodSeconds ?? 30);
    if (err) {
      deps.recorder.event(podRef(pod, c), 'Warning', 'FailedPostStartHook', err);
      await deps.runtime.stopContainer(id, 0).catch(() => {});
      return { failure: { reason: 'PostStartHookError', message: err } };
    }
  }
  return { id };
}

/** Runs a lifecycle hook; returns an error message when it failed. */
export async function runHook(deps: PodSyncDeps, pod: Pod, c: Container, containerId: string, h: LifecycleHandler, timeoutSeconds: number): Promise<string | undefined> {
  if (h.sleep) {
    await new Promise((r) => setTimeout(r, Math.min(h.sleep!.seconds, timeoutSeconds) * 1000));
    return undefined;
  }
  const probe = h.exec ? { exec: h.exec, timeoutSeconds } : h.httpGet ? { httpGet: h.httpGet, timeoutSeconds } : h.tcpSocket ? { tcpSocket: h.tcpSocket, timeoutSeconds } : undefined;
  if (!probe) return 'unknown lifecycle handler';
  const out = await runProbe(probe, {
    podIP: deps.nodeIP,
    container: c,
    execSync: (cmd, t) => deps.runtime.execSync(containerId, cmd, t),
  });
  if (out.result === 'success') return undefined;
  if (h.exec) return `Exec lifecycle hook (${JSON.stringify(h.exec.command ?? [])}) for Container "${c.name}" in Pod "${pod.metadata!.name}_${pod.metadata!.namespace}(${pod.metadata!.uid})" failed - error: command '${(h.exec.command ?? []).join(' ')}' exited with non-zero code, message: ${JSON.stringify(out.output)}`;
  return `HTTP lifecycle hook (${h.httpGet?.path ?? ''}) for Container "${c.name}" in Pod "${pod.metadata!.name}_${pod.metadata!.namespace}(${pod.metadata!.uid})" failed - error: ${out.output}`;
}

/** An object reference to the pod with fieldPath pointing at the container, as kubelet events carry. */
export function podRef(pod: Pod, c?: Container) {
  const m = pod.metadata!;
  const idx = c ? (pod.spec?.containers ?? []).findIndex((x) => x.name === c.name) : -1;
  const fieldPath = c ? (idx >= 0 ? `spec.containers{${c.name}}` : `spec.initContainers{${c.name}}`) : undefined;
  return { kind: 'Pod', apiVersion: 'v1', namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion, ...(fieldPath ? { fieldPath } : {}) };
}
