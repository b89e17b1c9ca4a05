import { existsSync, mkdtempSync, mkdirSync, promises as fs, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Container, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NodeInfo } from '../env/downward-api.js';
import { b64, memoryObjects } from '../env/testing.js';
import { PodVolumesError } from './errors.js';
import { VolumeManager } from './volume-manager.js';

let root: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'k8ts-vol-root-'));
  outside = mkdtempSync(path.join(tmpdir(), 'k8ts-vol-host-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const node: NodeInfo = { nodeName: 'n', hostIP: '10.0.0.1', podIP: '10.0.0.1', podIPs: ['10.0.0.1'], allocatable: { cpu: '2', memory: '1Gi' } };

function setup(extra: Parameters<typeof memoryObjects>[0] = {}) {
  const objects = memoryObjects({
    configMaps: [{ metadata: { namespace: 'ns', name: 'cfg' }, data: { 'app.conf': 'v1', other: 'o' }, binaryData: { bin: b64('\x00\x01') } }],
    secrets: [{ metadata: { namespace: 'ns', name: 'sec' }, data: { password: b64('hunter2') } }],
    ...extra,
  });
  const vm = new VolumeManager({ rootDir: root, objects, node: () => node });
  return { objects, vm };
}

const podWith = (volumes: Volume[], container: Partial<Container> = {}, uid = 'uid-1'): Pod => ({
  metadata: { namespace: 'ns', name: 'p', uid, labels: { app: 'web' } },
  spec: { volumes, containers: [{ name: 'c', resources: { limits: { memory: '256Mi' } }, ...container }] },
});
const volDir = (plugin: string, name: string, uid = 'uid-1') => path.join(root, 'pods', uid, 'volumes', `kubernetes.io~${plugin}`, name);

describe('VolumeManager set-up and mounts', () => {
  it('makes emptyDir directories and mounts them writable; Memory medium carries a tmpfs size', async () => {
    const { vm } = setup();
    const pod = podWith(
      [{ name: 'scratch', emptyDir: {} }, { name: 'shm', emptyDir: { medium: 'Memory' } }, { name: 'small', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }],
      { volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }, { name: 'shm', mountPath: '/dev/shm' }, { name: 'small', mountPath: '/small', readOnly: true }] },
    );
    await vm.setUpPod(pod);
    await vm.setUpPod(pod); // idempotent
    expect(statSync(volDir('empty-dir', 'scratch')).mode & 0o777).toBe(0o777);
    expect(vm.mountsFor(pod, pod.spec!.containers[0]!)).toEqual([
      { containerPath: '/scratch', hostPath: volDir('empty-dir', 'scratch'), readonly: false },
      { containerPath: '/dev/shm', hostPath: volDir('empty-dir', 'shm'), readonly: false, tmpfs: { sizeLimit: 256 * 2 ** 20 } },
      { containerPath: '/small', hostPath: volDir('empty-dir', 'small'), readonly: true, tmpfs: { sizeLimit: 64 * 2 ** 20 } },
    ]);
  });

  it('projects configMap and secret volumes read-only with items, modes and binary data', async () => {
    const { vm } = setup();
    const pod = podWith(
      [
        { name: 'all', configMap: { name: 'cfg' } },
        { name: 'some', configMap: { name: 'cfg', defaultMode: 0o600, items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o400 }, { key: 'other', path: 'o' }] } },
        { name: 'creds', secret: { secretName: 'sec', defaultMode: 0o440 } },
      ],
      { volumeMounts: [{ name: 'all', mountPath: '/etc/cfg' }, { name: 'creds', mountPath: '/creds' }] },
    );
    await vm.setUpPod(pod);
    const all = volDir('configmap', 'all');
    expect(readdirSync(all).filter((n) => !n.startsWith('..')).sort()).toEqual(['app.conf', 'bin', 'other']);
    expect(readFileSync(path.join(all, 'app.conf'), 'utf8')).toBe('v1');
    expect([...readFileSync(path.join(all, 'bin'))]).toEqual([0, 1]);
    expect(statSync(path.join(all, 'app.conf')).mode & 0o777).toBe(0o644);
    const some = volDir('configmap', 'some');
    expect(readFileSync(path.join(some, 'conf/app.conf'), 'utf8')).toBe('v1');
    expect(statSync(path.join(some, 'conf/app.conf')).mode & 0o777).toBe(0o400);
    expect(statSync(path.join(some, 'o')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(volDir('secret', 'creds'), 'password'), 'utf8')).toBe('hunter2');
    expect(statSync(path.join(volDir('secret', 'creds'), 'password')).mode & 0o777).toBe(0o440);
    expect(vm.mountsFor(pod, pod.spec!.containers[0]!).map((m) => m.readonly)).toEqual([true, true]);
  });

  it('reports each failed volume with upstream text, still setting up the rest; optional sources may be missing', async () => {
    const { vm } = setup();
    const pod = podWith([
      { name: 'missing', configMap: { name: 'x' } },
      { name: 'missing-secret', secret: { secretName: 's' } },
      { name: 'missing-key', configMap: { name: 'cfg', items: [{ key: 'nope', path: 'p' }] } },
      { name: 'maybe', configMap: { name: 'x', optional: true } },
      { name: 'maybe-key', secret: { secretName: 'sec', optional: true, items: [{ key: 'nope', path: 'p' }] } },
      { name: 'host', hostPath: { path: path.join(outside, 'nope'), type: 'Directory' } },
      { name: 'pvc', persistentVolumeClaim: { claimName: 'c' } },
      { name: 'scratch', emptyDir: {} },
    ]);
    const err = (await vm.setUpPod(pod).catch((e: unknown) => e)) as PodVolumesError;
    expect(err).toBeInstanceOf(PodVolumesError);
    expect(err.errors.map((e) => e.message)).toEqual([
      'MountVolume.SetUp failed for volume "missing" : configmap "x" not found',
      'MountVolume.SetUp failed for volume "missing-secret" : secret "s" not found',
      'MountVolume.SetUp failed for volume "missing-key" : configmap references non-existent config key: nope',
      `MountVolume.SetUp failed for volume "host" : hostPath type check failed: ${outside}/nope is not a directory`,
      'MountVolume.SetUp failed for volume "pvc" : volume type persistentVolumeClaim is not supported by this kubelet',
    ]);
    expect(readdirSync(volDir('configmap', 'maybe')).sort()).toEqual([expect.stringMatching(/^\.\.\d{4}_/), '..data']);
    expect(existsSync(volDir('empty-dir', 'scratch'))).toBe(true);
    expect(() => vm.mountsFor(pod, { name: 'c', volumeMounts: [{ name: 'missing', mountPath: '/m' }] })).toThrow(
      'cannot find volume "missing" to mount into container "c"',
    );
  });

  it('writes downwardAPI files and projected sources; tokens fail clearly until issued', async () => {
    const { vm, objects } = setup();
    const pod = podWith([
      { name: 'info', downwardAPI: { items: [
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
        { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
      ] } },
      { name: 'proj', projected: { defaultMode: 0o640, sources: [
        { configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'app.conf' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
        { serviceAccountToken: { path: 'token', expirationSeconds: 600 } },
      ] } },
    ]);
    const err = (await vm.setUpPod(pod).catch((e: unknown) => e)) as PodVolumesError;
    expect(err.message).toBe('MountVolume.SetUp failed for volume "proj" : service account tokens are not issued yet');
    const info = volDir('downward-api', 'info');
    expect(readFileSync(path.join(info, 'labels'), 'utf8')).toBe('app="web"');
    expect(readFileSync(path.join(info, 'mem'), 'utf8')).toBe('256');
    expect(readFileSync(path.join(info, 'cpu'), 'utf8')).toBe('2000');

    const requests: unknown[] = [];
    objects.serviceAccountToken = async (req) => {
      requests.push(req);
      return { token: 'jwt', expirationTimestamp: '2030-01-01T00:00:00Z' };
    };
    await vm.setUpPod(pod);
    const proj = volDir('projected', 'proj');
    expect(readFileSync(path.join(proj, 'token'), 'utf8')).toBe('jwt');
    expect(readFileSync(path.join(proj, 'namespace'), 'utf8')).toBe('ns');
    expect(statSync(path.join(proj, 'app.conf')).mode & 0o777).toBe(0o640);
    expect(requests).toEqual([{ namespace: 'ns', serviceAccountName: 'default', audiences: [], expirationSeconds: 600, boundPod: { name: 'p', uid: 'uid-1' } }]);
  });

  it('rejects clusterTrustBundle sources', async () => {
    const { vm } = setup();
    const pod = podWith([{ name: 'ctb', projected: { sources: [{ clusterTrustBundle: { name: 'b', path: 'ca.pem' } }] } }]);
    await expect(vm.setUpPod(pod)).rejects.toThrow('MountVolume.SetUp failed for volume "ctb" : clusterTrustBundle projected volume sources are not supported');
  });
});

describe('VolumeManager refresh', () => {
  it('follows source changes atomically through the same path and rewrites nothing when unchanged', async () => {
    const { vm, objects } = setup();
    const pod = podWith([{ name: 'cfg', configMap: { name: 'cfg' } }]);
    await vm.setUpPod(pod);
    const file = path.join(volDir('configmap', 'cfg'), 'app.conf');
    expect(await fs.readFile(file, 'utf8')).toBe('v1');
    const before = readdirSync(volDir('configmap', 'cfg')).sort();
    await vm.refreshPod(pod);
    expect(readdirSync(volDir('configmap', 'cfg')).sort()).toEqual(before);

    objects.configMaps[0] = { metadata: { namespace: 'ns', name: 'cfg' }, data: { 'app.conf': 'v2' } };
    await vm.refreshPod(pod);
    expect(await fs.readFile(file, 'utf8')).toBe('v2');
    expect(existsSync(path.join(volDir('configmap', 'cfg'), 'other'))).toBe(false);
  });

  it('keeps the last contents when the source disappears, and ignores pods never set up', async () => {
    const { vm, objects } = setup();
    const pod = podWith([{ name: 'cfg', configMap: { name: 'cfg' } }]);
    await vm.refreshPod(pod);
    expect(existsSync(path.join(root, 'pods', 'uid-1'))).toBe(false);
    await vm.setUpPod(pod);
    objects.configMaps.length = 0;
    await expect(vm.refreshPod(pod)).rejects.toThrow('configmap "cfg" not found');
    expect(readFileSync(path.join(volDir('configmap', 'cfg'), 'app.conf'), 'utf8')).toBe('v1');
  });
});

describe('VolumeManager subPath', () => {
  it('creates subPath directories inside emptyDir and resolves configMap keys', async () => {
    const { vm } = setup();
    const pod = podWith([{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg' } }]);
    await vm.setUpPod(pod);
    const mounts = vm.mountsFor(pod, {
      name: 'c',
      volumeMounts: [
        { name: 'data', mountPath: '/logs', subPath: 'logs/app' },
        { name: 'data', mountPath: '/per-pod', subPathExpr: 'pods/$(POD_NAME)' },
        { name: 'cfg', mountPath: '/etc/app.conf', subPath: 'app.conf' },
      ],
    }, [{ key: 'POD_NAME', value: 'p' }]);
    expect(mounts[0]).toEqual({ containerPath: '/logs', hostPath: path.join(volDir('empty-dir', 'data'), 'logs/app'), readonly: false });
    expect(statSync(mounts[0]!.hostPath).isDirectory()).toBe(true);
    expect(mounts[1]!.hostPath).toBe(path.join(volDir('empty-dir', 'data'), 'pods/p'));
    expect(readFileSync(mounts[2]!.hostPath, 'utf8')).toBe('v1');
    expect(mounts[2]!.readonly).toBe(true);
  });

  it.each([
    ['/abs', 'error SubPath `/abs` must not be an absolute path'],
    ['a/../../x', "unable to provision SubPath `a/../../x`: must not contain '..'"],
    ['escape/x', 'failed to prepare subPath for volumeMount "data" of container "c"'],
  ])('rejects %s', async (subPath, message) => {
    const { vm } = setup();
    const pod = podWith([{ name: 'data', emptyDir: {} }]);
    await vm.setUpPod(pod);
    symlinkSync(outside, path.join(volDir('empty-dir', 'data'), 'escape'));
    expect(() => vm.mountsFor(pod, { name: 'c', volumeMounts: [{ name: 'data', mountPath: '/d', subPath }] })).toThrow(message);
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe('VolumeManager teardown', () => {
  it('removes the pod directory but never hostPath contents or symlink targets', async () => {
    const { vm } = setup();
    mkdirSync(path.join(outside, 'data'));
    writeFileSync(path.join(outside, 'data', 'keep.txt'), 'precious');
    const pod = podWith([
      { name: 'host', hostPath: { path: path.join(outside, 'data'), type: 'Directory' } },
      { name: 'scratch', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg' } },
    ]);
    await vm.setUpPod(pod);
    symlinkSync(path.join(outside, 'data'), path.join(volDir('empty-dir', 'scratch'), 'link-out'));
    writeFileSync(path.join(volDir('empty-dir', 'scratch'), 'tmp'), 'x');
    await vm.tearDownPod('uid-1');
    expect(existsSync(path.join(root, 'pods', 'uid-1'))).toBe(false);
    expect(readFileSync(path.join(outside, 'data', 'keep.txt'), 'utf8')).toBe('precious');
    await vm.tearDownPod('uid-1'); // already gone is fine
    await expect(vm.tearDownPod('../x')).rejects.toThrow('invalid pod UID "../x"');
  });
});

describe('podUsesMounts', () => {
  it('is true when any container mounts a volume', () => {
    const { vm } = setup();
    expect(vm.podUsesMounts(podWith([{ name: 'v', emptyDir: {} }]))).toBe(false);
    expect(vm.podUsesMounts(podWith([{ name: 'v', emptyDir: {} }], { volumeMounts: [{ name: 'v', mountPath: '/v' }] }))).toBe(true);
  });
});
