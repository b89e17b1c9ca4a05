import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerConfig, PodSandboxConfig } from '../cri.js';
import { FakeRuntime } from './fake-runtime.js';

describe('FakeRuntime', () => {
  let dir: string;
  let rt: FakeRuntime;
  let sandbox: PodSandboxConfig;
  const config: ContainerConfig = { metadata: { name: 'web', attempt: 0 }, image: { image: 'nginx' }, logPath: 'web/0.log', labels: { app: 'web' } };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-fake-'));
    rt = new FakeRuntime({ nodeIp: '10.0.0.5', now: () => 1_000 });
    sandbox = { metadata: { name: 'p', uid: 'u', namespace: 'ns', attempt: 0 }, logDirectory: join(dir, 'ns_p_u') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs nothing: Running after start, Completed after stop, with an empty log', async () => {
    const pod = await rt.runPodSandbox(sandbox);
    const id = await rt.createContainer(pod, config, sandbox);
    expect((await rt.containerStatus(id)).state).toBe('CONTAINER_CREATED');
    await rt.startContainer(id);
    const running = await rt.containerStatus(id);
    expect(running).toMatchObject({ state: 'CONTAINER_RUNNING', startedAt: 1_000_000_000, logPath: join(dir, 'ns_p_u', 'web', '0.log') });
    expect(readFileSync(running.logPath, 'utf8')).toBe('');
    expect(await rt.podSandboxStatus(pod)).toMatchObject({ state: 'SANDBOX_READY', network: { ip: '10.0.0.5' } });
    await rt.stopContainer(id);
    expect(await rt.containerStatus(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' });
    await rt.removePodSandbox(pod);
    expect(await rt.listContainers()).toEqual([]);
    expect(await rt.listPodSandbox()).toEqual([]);
  });

  it('answers exec with exit 0 unless a hook says otherwise', async () => {
    const pod = await rt.runPodSandbox(sandbox);
    const id = await rt.createContainer(pod, config, sandbox);
    await rt.startContainer(id);
    expect(await rt.execSync(id, ['true'], 1)).toEqual({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 });
    rt.execSyncHook = (_id, cmd) => ({ stdout: Buffer.from(cmd.join(' ')), stderr: Buffer.alloc(0), exitCode: 1 });
    expect((await rt.execSync(id, ['cat', '/ready'], 1)).exitCode).toBe(1);
    expect(await rt.exec({ containerId: id, cmd: ['sh'] }, {})).toBe(0);
    const stats = await rt.containerStats(id);
    expect(stats.cpu?.usageCoreNanoSeconds).toBe(0);
    expect(stats.memory?.workingSetBytes).toBe(0);
  });

  it('ends attach sessions on stop and refuses streams to stopped containers', async () => {
    const pod = await rt.runPodSandbox(sandbox);
    const id = await rt.createContainer(pod, config, sandbox);
    await rt.startContainer(id);
    const attached = rt.attach({ containerId: id, stdout: true }, { stdout: new PassThrough() });
    await rt.stopPodSandbox(pod);
    await attached;
    await expect(rt.execSync(id, ['true'], 1)).rejects.toMatchObject({ reason: 'NotRunning' });
    await expect(rt.portForward(pod, 80, new PassThrough())).rejects.toThrow(/runs no processes/);
    await expect(rt.createContainer(pod, config, sandbox)).rejects.toMatchObject({ reason: 'CreateContainerError' });
  });

  it('filters by state, sandbox and labels and records images', async () => {
    const a = await rt.runPodSandbox(sandbox);
    const b = await rt.runPodSandbox({ ...sandbox, labels: { tier: 'db' } });
    const ca = await rt.createContainer(a, config, sandbox);
    await rt.createContainer(b, { ...config, labels: { app: 'db' } }, sandbox);
    await rt.startContainer(ca);
    expect((await rt.listContainers({ state: 'CONTAINER_RUNNING' })).map((c) => c.id)).toEqual([ca]);
    expect((await rt.listContainers({ labelSelector: { app: 'db' } })).map((c) => c.podSandboxId)).toEqual([b]);
    expect((await rt.listPodSandbox({ labelSelector: { tier: 'db' } })).map((s) => s.id)).toEqual([b]);
    expect(await rt.imageStatus({ image: 'nginx:latest' })).toMatchObject({ repoTags: ['docker.io/library/nginx:latest'] });
  });

  it('is cheap: a thousand pods without files', async () => {
    const cheap = new FakeRuntime({ writeLogFiles: false });
    for (let i = 0; i < 1000; i++) {
      const pod = await cheap.runPodSandbox(sandbox);
      await cheap.startContainer(await cheap.createContainer(pod, config, sandbox));
    }
    expect(await cheap.listContainers({ state: 'CONTAINER_RUNNING' })).toHaveLength(1000);
    expect(existsSync(sandbox.logDirectory)).toBe(false);
  });
});
