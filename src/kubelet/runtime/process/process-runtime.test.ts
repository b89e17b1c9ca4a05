import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuntimeError } from '../cri.js';
import { ProcessRuntime } from './process-runtime.js';
import { containerConfig, logLines, testRuntime, waitFor, type TestRuntime } from './test-helpers.js';

// As root (when the machine allows) containers start through the cgroup/mount prelude;
// without root they are spawned directly. Both paths must behave the same.
const modes = process.getuid?.() === 0 ? [{ isRoot: true }, { isRoot: false }] : [{ isRoot: false }];

describe.each(modes)('ProcessRuntime lifecycle (isRoot: $isRoot)', (mode) => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await testRuntime(mode);
  });
  afterEach(() => t.cleanup());

  it('runs the command, logs stdout and stderr, and records a clean exit', async () => {
    const id = await t.run(['sh', '-c', 'echo out; echo err >&2; echo "$GREETING from $(pwd)"'], {
      envs: [{ key: 'GREETING', value: 'hi' }],
      workingDir: t.dir,
    });
    const s = await t.untilExited(id);
    expect(s).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' });
    expect(s.finishedAt).toBeGreaterThanOrEqual(s.startedAt);
    expect(s.pid).toBeUndefined();
    expect(logLines(await t.logOf(id)).sort()).toEqual(['stderr: err', `stdout: hi from ${t.dir}`, 'stdout: out'].sort());
    expect(await t.logOf(id)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F out$/m);
  });

  it('reports a non-zero exit as Error', async () => {
    const id = await t.run(['sh', '-c', 'exit 3']);
    expect(await t.untilExited(id)).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('is Running with a pid while the process lives, and lists it', async () => {
    const id = await t.run(['sleep', '30']);
    const s = await t.rt.containerStatus(id);
    expect(s.state).toBe('CONTAINER_RUNNING');
    expect(existsSync(`/proc/${s.pid}`)).toBe(true);
    expect((await t.rt.listContainers({ state: 'CONTAINER_RUNNING' })).map((c) => c.id)).toEqual([id]);
    expect(await t.rt.listContainers({ podSandboxId: t.podId, labelSelector: { app: 'x' } })).toEqual([]);
  });

  it('stops with SIGTERM, which a trap can handle', async () => {
    const id = await t.run(['sh', '-c', 'trap "echo got TERM; exit 7" TERM; echo ready; while :; do sleep 0.05; done']);
    await waitFor(async () => (await t.logOf(id)).includes('ready'));
    await t.rt.stopContainer(id, 10);
    const s = await t.rt.containerStatus(id);
    expect(s).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 7, reason: 'Error' });
    expect(logLines(await t.logOf(id))).toContain('stdout: got TERM');
  });

  it('reports death by SIGTERM as 143', async () => {
    const id = await t.run(['sleep', '30']);
    await t.rt.stopContainer(id, 10);
    expect(await t.rt.containerStatus(id)).toMatchObject({ exitCode: 143, reason: 'Error' });
  });

  it('kills with SIGKILL after the grace period (137)', async () => {
    const id = await t.run(['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done']);
    await waitFor(async () => (await t.logOf(id)).includes('ready'));
    await t.rt.stopContainer(id, 1);
    expect(await t.rt.containerStatus(id)).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  it('kills what the main process left behind when it exits', async () => {
    const id = await t.run(['sh', '-c', 'sleep 30 & echo $! ; exit 0']);
    await t.untilExited(id);
    const child = Number(logLines(await t.logOf(id))[0]!.split(' ')[1]);
    await waitFor(() => !existsSync(`/proc/${child}/stat`) || /\) Z /.test(readFileSync(`/proc/${child}/stat`, 'utf8')));
  });

  it('refuses a container without command, naming the fix', async () => {
    const err = await t.rt
      .createContainer(t.podId, containerConfig('web', [], { command: undefined }), t.sandbox)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err).toMatchObject({ reason: 'CreateContainerError' });
    expect((err as Error).message).toMatch(/does not run images.*set command \(and args\) in the pod spec/);
  });

  it('runs args alone when no command is given', async () => {
    const id = await t.run([], { command: undefined, args: ['sh', '-c', 'echo from args'] });
    await t.untilExited(id);
    expect(logLines(await t.logOf(id))).toEqual(['stdout: from args']);
  });

  it('reports a missing executable as a start error', async () => {
    const id = await t.rt.createContainer(t.podId, containerConfig('bad', ['no-such-binary-k8ts']), t.sandbox);
    await expect(t.rt.startContainer(id)).rejects.toMatchObject({ reason: 'RunContainerError', message: expect.stringMatching(/executable file not found in \$PATH/) });
    expect(await t.rt.containerStatus(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError' });
  });

  it('removes a container with its default working directory', async () => {
    const id = await t.run(['sh', '-c', 'pwd; touch scratch']);
    await t.untilExited(id);
    const wd = logLines(await t.logOf(id))[0]!.slice('stdout: '.length);
    expect(existsSync(`${wd}/scratch`)).toBe(true);
    await t.rt.removeContainer(id);
    expect(existsSync(wd)).toBe(false);
    await expect(t.rt.containerStatus(id)).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('stops all containers of a sandbox, then reports it not ready', async () => {
    const a = await t.run(['sleep', '30']);
    await t.rt.stopPodSandbox(t.podId);
    expect((await t.rt.containerStatus(a)).state).toBe('CONTAINER_EXITED');
    expect(await t.rt.podSandboxStatus(t.podId)).toMatchObject({ state: 'SANDBOX_NOTREADY', network: { ip: '127.0.0.1' } });
  });

  it('records pulled images by normalized name', async () => {
    const ref = await t.rt.pullImage({ image: 'nginx' });
    expect(await t.rt.imageStatus({ image: 'docker.io/library/nginx:latest' })).toMatchObject({ id: ref, repoTags: ['docker.io/library/nginx:latest'] });
    await t.rt.removeImage({ image: 'nginx' });
    expect(await t.rt.listImages()).toEqual([]);
  });
});

describe('ProcessRuntime without root', () => {
  it('refuses volume mounts with a clear reason', async () => {
    const t = await testRuntime({ isRoot: false });
    try {
      const cfg = containerConfig('web', ['true'], { mounts: [{ containerPath: '/data', hostPath: t.dir }] });
      await expect(t.rt.createContainer(t.podId, cfg, t.sandbox)).rejects.toMatchObject({
        reason: 'CreateContainerConfigError',
        message: expect.stringMatching(/mounts volumes \(\/data\).*needs root/),
      });
    } finally {
      await t.cleanup();
    }
  });

  it('leaves out an optional mount (the termination-message file) and runs the container', async () => {
    const t = await testRuntime({ isRoot: false });
    try {
      const id = await t.run(['true'], { mounts: [{ containerPath: '/dev/termination-log', hostPath: t.dir, optional: true }] });
      expect(await t.untilExited(id)).toMatchObject({ exitCode: 0 });
      expect((await t.rt.containerStatus(id)).mounts).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });
});

describe('ProcessRuntime restart', () => {
  it('kills containers left by a previous runtime on init', async () => {
    const t = await testRuntime();
    try {
      const id = await t.run(['sleep', '30']);
      const pid = (await t.rt.containerStatus(id)).pid!;
      const next = new ProcessRuntime({ rootDir: `${t.dir}/root`, nodeIp: '127.0.0.1' });
      const { killedLeftovers } = await next.init();
      expect(killedLeftovers).toEqual([id]);
      expect(await t.untilExited(id)).toMatchObject({ exitCode: 137 });
      expect(existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sleep')).toBe(false);
    } finally {
      await t.cleanup();
    }
  });
});
