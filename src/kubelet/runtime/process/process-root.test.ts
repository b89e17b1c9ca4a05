// Features that need root: volumes in a private mount namespace, cgroup limits and OOM kills.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectCgroups } from './cgroups.js';
import { logLines, testRuntime, type TestRuntime } from './test-helpers.js';

const isRoot = process.getuid?.() === 0;
const cgroups = detectCgroups('/sys/fs/cgroup', isRoot);
if (!isRoot) console.warn('skipping mount and cgroup tests of the process runtime: not running as root');
else if (!('version' in cgroups)) console.warn(`skipping cgroup tests of the process runtime: ${cgroups.unsupported}`);

describe.skipIf(!isRoot)('ProcessRuntime as root: mounts', () => {
  let t: TestRuntime;
  let volume: string;
  beforeEach(async () => {
    t = await testRuntime();
    volume = join(t.dir, 'volume');
    mkdirSync(volume);
    writeFileSync(join(volume, 'hello.txt'), 'from the volume');
  });
  afterEach(() => t.cleanup());

  it('binds volumes at their container path, visible only inside the container', async () => {
    const inside = join(t.dir, 'mnt', 'data');
    const ro = join(t.dir, 'mnt', 'ro');
    const tmp = join(t.dir, 'mnt', 'tmp');
    const id = await t.run(
      ['sh', '-c', `cat ${inside}/hello.txt; echo; echo new > ${inside}/written; echo x > ${ro}/nope || echo ro refused; echo t > ${tmp}/f && grep -q "tmpfs ${tmp}" /proc/mounts && echo tmpfs ok; pwd`],
      {
        mounts: [
          { containerPath: inside, hostPath: volume },
          { containerPath: ro, hostPath: volume, readonly: true },
          { containerPath: tmp, hostPath: '', tmpfs: { sizeLimit: 1 << 20 } },
        ],
        workingDir: inside,
      },
    );
    const s = await t.untilExited(id);
    const lines = logLines(await t.logOf(id));
    expect(lines).toContain('stdout: from the volume');
    expect(lines).toContain('stdout: ro refused');
    expect(lines).toContain('stdout: tmpfs ok');
    expect(lines).toContain(`stdout: ${inside}`);
    expect(s.exitCode).toBe(0);
    // Writes went to the volume; the mount point on the host stayed an empty directory.
    expect(existsSync(join(volume, 'written'))).toBe(true);
    expect(existsSync(join(inside, 'hello.txt'))).toBe(false);
  });

  it('runs exec inside the container mount namespace', async () => {
    const inside = join(t.dir, 'mnt', 'data');
    const id = await t.run(['sleep', '60'], { mounts: [{ containerPath: inside, hostPath: volume }] });
    const r = await t.rt.execSync(id, ['cat', `${inside}/hello.txt`], 0);
    expect(r).toMatchObject({ exitCode: 0 });
    expect(r.stdout.toString()).toBe('from the volume');
  });

  it('turns a failed mount setup into a start error', async () => {
    const file = join(t.dir, 'a-file');
    writeFileSync(file, '');
    const cfg = { metadata: { name: 'x', attempt: 0 }, image: { image: 'x' }, command: ['true'], logPath: 'x/0.log', mounts: [{ containerPath: join(file, 'sub'), hostPath: volume }] };
    const id = await t.rt.createContainer(t.podId, cfg, t.sandbox);
    await expect(t.rt.startContainer(id)).rejects.toMatchObject({ reason: 'RunContainerError', message: expect.stringMatching(/container setup failed: mkdir/) });
    expect(await t.rt.containerStatus(id)).toMatchObject({ state: 'CONTAINER_EXITED', reason: 'StartError', exitCode: 128 });
  });

  it('mounts the termination-message file at its path; an optional mount that cannot be made is skipped', async () => {
    const file = join(t.dir, 'termination-log');
    writeFileSync(file, '');
    const target = join(t.dir, 'in-container', 'termination-log');
    const id = await t.run(['sh', '-c', `echo bye > ${target}`], {
      mounts: [
        { containerPath: target, hostPath: file, optional: true },
        { containerPath: join(file, 'cannot', 'be'), hostPath: volume, optional: true },
      ],
    });
    expect(await t.untilExited(id)).toMatchObject({ exitCode: 0 });
    expect(readFileSync(file, 'utf8')).toBe('bye\n');
  });

  it('fails at create when a host path is missing', async () => {
    const cfg = { metadata: { name: 'x', attempt: 0 }, image: { image: 'x' }, command: ['true'], logPath: 'x/0.log', mounts: [{ containerPath: '/data', hostPath: join(t.dir, 'absent') }] };
    await expect(t.rt.createContainer(t.podId, cfg, t.sandbox)).rejects.toMatchObject({ reason: 'CreateContainerError', message: expect.stringMatching(/host path does not exist/) });
  });
});

describe.skipIf(!isRoot || !('version' in cgroups))('ProcessRuntime as root: cgroup limits', () => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await testRuntime();
  });
  afterEach(() => t.cleanup());

  it('reports OOMKilled and 137 when the memory limit is exceeded', async () => {
    const hog = 'const keep=[]; for(;;){ keep.push(Buffer.alloc(4<<20, 1)); }';
    const id = await t.run([process.execPath, '-e', hog], { linux: { resources: { memoryLimitInBytes: 32 * 1024 * 1024 } } });
    expect(await t.untilExited(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137, reason: 'OOMKilled' });
  });

  it('reads CPU and memory from the cgroup, exec included', async () => {
    const id = await t.run(['sleep', '60'], { linux: { resources: { memoryLimitInBytes: 64 * 1024 * 1024, cpuQuota: 50_000, cpuPeriod: 100_000 } } });
    const r = await t.rt.execSync(id, ['cat', '/proc/self/cgroup'], 0);
    expect(r.stdout.toString()).toContain(`k8ts/${t.podId}/${id}`);
    const s = await t.rt.containerStats(id);
    expect(s.memory!.workingSetBytes).toBeGreaterThan(0);
  });

  it('writes the limits into the cgroup the container runs in, and removes it with the container', async () => {
    const v2 = 'version' in cgroups && cgroups.version === 2;
    const memDir = (id: string) => v2 ? `/sys/fs/cgroup/k8ts/${t.podId}/${id}` : `/sys/fs/cgroup/memory/k8ts/${t.podId}/${id}`;
    const id = await t.run(['sleep', '60'], { linux: { resources: { memoryLimitInBytes: 48 * 1024 * 1024 } } });
    expect(readFileSync(join(memDir(id), v2 ? 'memory.max' : 'memory.limit_in_bytes'), 'utf8').trim()).toBe(String(48 * 1024 * 1024));
    expect(readFileSync(join(memDir(id), 'cgroup.procs'), 'utf8')).toContain(String((await t.rt.containerStatus(id)).pid ?? ''));
    await t.rt.removeContainer(id);
    expect(existsSync(memDir(id))).toBe(false);

    // Node shutdown (stopAll) stops the rest and leaves no cgroup behind, the pod's level included.
    const other = await t.run(['sleep', '60']);
    expect(existsSync(memDir(other))).toBe(true);
    await t.rt.stopAll(0);
    expect(existsSync(memDir(other))).toBe(false);
    expect(existsSync(dirname(memDir(other)))).toBe(false);
  });
});
