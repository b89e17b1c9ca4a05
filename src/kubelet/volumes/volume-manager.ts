// The kubelet's volumes for pods on this node. setUpPod makes every volume of a pod ready under
// <rootDir>/pods/<uid>/volumes (emptyDir directories, hostPath checks, configMap/secret/downwardAPI/
// projected contents via the atomic writer); mountsFor turns a container's volumeMounts into runtime
// Mounts; refreshPod re-projects contents when their sources change; tearDownPod removes the pod's
// directory without leaving it. Operations on one pod are serialized; different pods run in parallel.
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Container, Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../env/downward-api.js';
import { expandSubPathExpr } from '../env/expansion.js';
import type { PodObjects } from '../env/pod-objects.js';
import type { KeyValue, Mount } from '../runtime/cri.js';
import { atomicWrite, type AtomicWriteOptions, type Payload } from './atomic-writer.js';
import { memoryEmptyDirSize } from './empty-dir-size.js';
import { PodVolumesError, VolumeMountError } from './errors.js';
import { checkHostPath } from './host-path.js';
import { hasBacksteps, podDir, podVolumesDir, volumeDir, type VolumePlugin } from './paths.js';
import {
  DEFAULT_MODE, configMapPayload, downwardAPIPayload, projectedPayload, secretPayload, type PayloadContext,
} from './payloads.js';
import { removeTreeOneFilesystem } from './safe-remove.js';

export interface VolumeManagerOptions {
  /** The kubelet's root directory; pods live in `<rootDir>/pods/<uid>`. */
  rootDir: string;
  objects: PodObjects;
  /** The node as the downward API sees it (allocatable fills unset limits). */
  node: () => NodeInfo;
  /** Seam for tests: the clock naming atomic-writer directories. */
  now?: AtomicWriteOptions['now'];
}

/** A set-up volume: where it is on the host and how containers must mount it. */
interface ReadyVolume {
  hostPath: string;
  /** Projected contents are the kubelet's, never the container's to change. */
  mustMountReadOnly: boolean;
  tmpfs?: { sizeLimit: number };
}

/** The volume kinds whose contents the kubelet writes and refreshes. */
const PROJECTED_KINDS: Partial<Record<keyof Volume, VolumePlugin>> = {
  configMap: 'configmap', secret: 'secret', downwardAPI: 'downward-api', projected: 'projected',
};

function allContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...((pod.spec?.ephemeralContainers ?? []) as Container[])];
}

function volumeKind(v: Volume): string {
  return Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
}

export class VolumeManager {
  /** uid → volume name → ready volume; only volumes whose last set-up succeeded. */
  private readonly ready = new Map<string, Map<string, ReadyVolume>>();
  /** uid → tail of that pod's operation chain, so the atomic writer never races itself. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: VolumeManagerOptions) {}

  /** Whether any container of the pod mounts a volume (the process runtime needs root for that). */
  podUsesMounts(pod: Pod): boolean {
    return allContainers(pod).some((c) => (c.volumeMounts?.length ?? 0) > 0 || (c.volumeDevices?.length ?? 0) > 0);
  }

  /** Makes every volume of the pod ready; idempotent. Throws PodVolumesError naming each failed volume. */
  setUpPod(pod: Pod): Promise<void> {
    return this.locked(pod, async (uid) => {
      // Synchronous: under a burst of pod starts an extra event-loop turn costs more than the call.
      if (!this.ready.has(uid)) mkdirSync(podVolumesDir(this.opts.rootDir, uid), { recursive: true, mode: 0o750 });
      await this.setUp(pod, uid, pod.spec?.volumes ?? []);
    });
  }

  /** Re-projects configMap, secret, downwardAPI and projected volumes of a pod already set up. */
  refreshPod(pod: Pod): Promise<void> {
    return this.locked(pod, async (uid) => {
      if (!this.ready.has(uid)) return;
      await this.setUp(pod, uid, (pod.spec?.volumes ?? []).filter((v) => PROJECTED_KINDS[volumeKind(v) as keyof Volume]));
    });
  }

  /** Removes the pod's directory; hostPath volumes live outside it and are never touched. */
  async tearDownPod(uid: string): Promise<void> {
    const dir = podDir(this.opts.rootDir, uid);
    await this.chain(uid, async () => {
      this.ready.delete(uid);
      await removeTreeOneFilesystem(dir);
    });
    this.locks.delete(uid);
  }

  /**
   * The runtime mounts for a container's volumeMounts, after setUpPod. `env` is the container's
   * environment, needed only for subPathExpr. Creates a missing subPath directory inside the volume.
   */
  mountsFor(pod: Pod, container: Container, env: KeyValue[] = []): Mount[] {
    const uid = pod.metadata?.uid ?? '';
    const vols = this.ready.get(uid);
    return (container.volumeMounts ?? []).map((vm) => {
      const vol = vols?.get(vm.name);
      if (!vol) throw new Error(`cannot find volume "${vm.name}" to mount into container "${container.name}"`);
      const subPath = vm.subPathExpr ? expandSubPathExpr(vm.subPathExpr, env) : vm.subPath ?? '';
      const mount: Mount = { containerPath: vm.mountPath, hostPath: vol.hostPath, readonly: !!vm.readOnly || vol.mustMountReadOnly };
      if (subPath) {
        if (vol.tmpfs) throw new Error(`subPath mounts of medium Memory emptyDir volumes are not supported (volumeMount "${vm.name}")`);
        mount.hostPath = prepareSubPath(vol.hostPath, subPath, vm.name, container.name);
      } else if (vol.tmpfs) {
        mount.tmpfs = { sizeLimit: vol.tmpfs.sizeLimit };
      }
      return mount;
    });
  }

  private async setUp(pod: Pod, uid: string, volumes: Volume[]): Promise<void> {
    const ready = this.ready.get(uid) ?? new Map<string, ReadyVolume>();
    this.ready.set(uid, ready);
    const errors: VolumeMountError[] = [];
    for (const v of volumes) {
      try {
        ready.set(v.name, await this.setUpVolume(pod, uid, v));
      } catch (e) {
        errors.push(new VolumeMountError(v.name, (e as Error).message));
      }
    }
    if (errors.length) throw new PodVolumesError(errors);
  }

  private async setUpVolume(pod: Pod, uid: string, v: Volume): Promise<ReadyVolume> {
    const { rootDir } = this.opts;
    if (v.emptyDir) {
      const dir = volumeDir(rootDir, uid, 'empty-dir', v.name);
      await fs.mkdir(dir, { recursive: true });
      // upstream makes emptyDir world-writable so any container user can use it.
      await fs.chmod(dir, 0o777);
      if (v.emptyDir.medium === 'Memory') {
        return { hostPath: dir, mustMountReadOnly: false, tmpfs: { sizeLimit: memoryEmptyDirSize(pod, v, this.opts.node().allocatable.memory) } };
      }
      if (v.emptyDir.medium) throw new Error(`unknown storage medium "${v.emptyDir.medium}"`);
      return { hostPath: dir, mustMountReadOnly: false };
    }
    if (v.hostPath) {
      await checkHostPath(v.hostPath.path, v.hostPath.type);
      return { hostPath: v.hostPath.path, mustMountReadOnly: false };
    }
    const plugin = PROJECTED_KINDS[volumeKind(v) as keyof Volume];
    if (!plugin) throw new Error(`volume type ${volumeKind(v)} is not supported by this kubelet`);
    const dir = volumeDir(rootDir, uid, plugin, v.name);
    await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    await atomicWrite(dir, await this.payload(pod, v), { now: this.opts.now });
    return { hostPath: dir, mustMountReadOnly: true };
  }

  private payload(pod: Pod, v: Volume): Promise<Payload> | Payload {
    const ctx: PayloadContext = { pod, objects: this.opts.objects, allocatable: this.opts.node().allocatable };
    if (v.configMap) return configMapPayload(ctx, v.configMap);
    if (v.secret) return secretPayload(ctx, v.secret);
    if (v.downwardAPI) return downwardAPIPayload(ctx, v.downwardAPI.items, v.downwardAPI.defaultMode ?? DEFAULT_MODE);
    return projectedPayload(ctx, v.projected!);
  }

  private locked(pod: Pod, fn: (uid: string) => Promise<void>): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    podDir(this.opts.rootDir, uid); // validates the uid before anything touches the disk
    return this.chain(uid, () => fn(uid));
  }

  private chain(uid: string, fn: () => Promise<void>): Promise<void> {
    const run = (this.locks.get(uid) ?? Promise.resolve()).catch(() => {}).then(fn);
    this.locks.set(uid, run);
    return run;
  }
}

/**
 * upstream's subPath handling: relative, no `..`, created as a directory inside the volume when
 * missing, and resolved so that a symlink inside the volume cannot point the mount outside it.
 */
function prepareSubPath(volumePath: string, subPath: string, volumeName: string, containerName: string): string {
  if (path.isAbsolute(subPath)) throw new Error(`error SubPath \`${subPath}\` must not be an absolute path`);
  if (hasBacksteps(subPath)) throw new Error(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  const failed = () => new Error(`failed to prepare subPath for volumeMount "${volumeName}" of container "${containerName}"`);
  const root = realpathSync(volumePath);
  const inside = (p: string) => p === root || p.startsWith(root + path.sep);
  let resolved: string;
  try {
    resolved = realpathSync(path.join(volumePath, subPath));
  } catch {
    // Create it one component at a time, re-resolving each step so no symlink leads outside.
    let cur = root;
    for (const part of subPath.split('/').filter((s) => s && s !== '.')) {
      const next = path.join(cur, part);
      try {
        mkdirSync(next, { mode: statSync(root).mode & 0o7777 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new Error(`failed to create subPath directory for volumeMount "${volumeName}" of container "${containerName}"`);
        }
      }
      cur = realpathSync(next);
      if (!inside(cur)) throw failed();
    }
    resolved = cur;
  }
  if (!inside(resolved)) throw failed();
  return resolved;
}
