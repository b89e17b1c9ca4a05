import { describe, expect, it } from 'vitest';
import { planLaunch } from './launch.js';
import { normalizeImageName } from './image-store.js';
import { parseProcStat } from './proc-stats.js';
import { resolveExecutable } from './resolve-executable.js';
import { exitCodeOf, shellQuote } from './exit-status.js';

describe('planLaunch', () => {
  it('spawns the command directly when nothing needs root', () => {
    expect(planLaunch({ argv: ['node', 'app.js'], cwd: '/srv' })).toEqual({ file: 'node', args: ['app.js'], cwd: '/srv' });
  });

  it('wraps a tty command in script', () => {
    expect(planLaunch({ argv: ['sh', '-c', "echo 'hi'"], cwd: '/', tty: true }).args).toEqual(['-qfec', `sh -c 'echo '\\''hi'\\'''`, '/dev/null']);
  });

  it('with ctty, setsid takes the terminal first and execs the (wrapped) command', () => {
    expect(planLaunch({ argv: ['sh'], cwd: '/w', ctty: true })).toEqual({ file: 'setsid', args: ['--ctty', '--', 'sh'], cwd: '/w' });
    expect(planLaunch({ argv: ['sh'], cwd: '/w', ctty: true, cgroupProcs: ['/c'] }).args.slice(0, 4)).toEqual(['--ctty', '--', '/bin/sh', '-c']);
  });

  it('mounts parents before children in a private namespace, then execs', () => {
    const plan = planLaunch({
      argv: ['app'],
      cwd: '/data/work',
      cgroupProcs: ['/sys/fs/cgroup/k8ts/p/c/cgroup.procs'],
      mounts: [
        { containerPath: '/data/inner', hostPath: '/h/inner', readonly: true },
        { containerPath: '/data', hostPath: '/h/data' },
      ],
    });
    expect(plan.file).toBe('unshare');
    expect(plan.args.slice(0, 4)).toEqual(['--mount', '--propagation', 'private', '--']);
    expect(plan.reportsOnFd3).toBe(true);
    const script = plan.args[6]!;
    expect(plan.args.slice(-2)).toEqual(['k8ts-init', 'app']);
    const order = ['echo $$ > /sys/fs/cgroup/k8ts/p/c/cgroup.procs', 'mount --bind /h/data /data', 'mount --bind /h/inner /data/inner', 'mount -o remount,bind,ro /data/inner', 'cd /data/work', 'printf ok >&3', 'exec "$@"'];
    const positions = order.map((l) => script.indexOf(l));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('enters the container mount namespace for exec without reporting on fd 3', () => {
    const plan = planLaunch({ argv: ['ls'], cwd: '/w', joinMountNsOf: 42, exec: true });
    expect(plan.file).toBe('nsenter');
    expect(plan.args.slice(0, 4)).toEqual(['--target', '42', '--mount', '--']);
    expect(plan.reportsOnFd3).toBeUndefined();
    expect(plan.args[6]).not.toContain('>&3');
  });
});

describe('helpers', () => {
  it('normalizes image names as containerd reports them', () => {
    expect(normalizeImageName('nginx')).toBe('docker.io/library/nginx:latest');
    expect(normalizeImageName('bitnami/redis:7')).toBe('docker.io/bitnami/redis:7');
    expect(normalizeImageName('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(normalizeImageName('registry.k8s.io/pause@sha256:abc')).toBe('registry.k8s.io/pause@sha256:abc');
  });

  it('parses /proc stat lines with odd command names', () => {
    const line = '123 (we ird) cmd) S 1 123 123 0 -1 4194560 100 0 0 0 7 3 2 1 20 0 1 0 5555 1000 10';
    expect(parseProcStat(123, line)).toEqual({ pid: 123, ppid: 1, pgrp: 123, ticks: 13, startTime: 5555 });
  });

  it('finds executables on PATH like execve', () => {
    expect(resolveExecutable('sh', undefined, '/')).toEqual({ path: expect.stringMatching(/\/sh$/) });
    expect(resolveExecutable('nope-k8ts', '/bin', '/')).toEqual({ error: 'exec: "nope-k8ts": executable file not found in $PATH' });
    expect(resolveExecutable('./x', undefined, '/nonexistent')).toEqual({ error: 'exec: "./x": stat ./x: no such file or directory' });
  });

  it('maps signal deaths to 128 + signal', () => {
    expect(exitCodeOf(null, 'SIGKILL')).toBe(137);
    expect(exitCodeOf(null, 'SIGTERM')).toBe(143);
    expect(exitCodeOf(2, null)).toBe(2);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
