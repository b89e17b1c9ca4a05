// Network namespaces for the proxy's root-only tests: whatever a test does to routes, links and
// iptables happens inside a namespace it created, with only a loopback interface, and goes away
// with it. Nothing in there can reach another machine.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { findExecutable, hostRunner, type CommandRunner } from './exec.js';

/** Why the namespace tests cannot run here, or undefined when they can. */
export function netnsUnavailable(tools: string[] = ['ip']): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const missing = tools.filter((t) => !findExecutable(t));
  if (missing.length) return `missing ${missing.join(', ')} (Debian: apt-get install -y ${missing.some((t) => t.startsWith('iptables')) ? 'iptables' : 'iproute2'})`;
  const probe = `k8ts-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0) return `ip netns add fails: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

export interface Netns {
  name: string;
  /** Runs a command inside the namespace. */
  run: CommandRunner;
  /** Starts a long-running process inside the namespace (stopped by remove()). */
  spawn(cmd: string, args: string[]): ChildProcess;
  remove(): Promise<void>;
}

export async function createNetns(tag: string): Promise<Netns> {
  const name = `k8ts-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  const host = hostRunner();
  const add = await host('ip', ['netns', 'add', name]);
  if (add.code !== 0) throw new Error(`ip netns add ${name}: ${add.stderr}`);
  const run = hostRunner(['ip', 'netns', 'exec', name]);
  const children: ChildProcess[] = [];
  await run('ip', ['link', 'set', 'lo', 'up']);
  return {
    name,
    run,
    spawn(cmd, args) {
      const child = spawn('ip', ['netns', 'exec', name, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      return child;
    },
    async remove() {
      for (const c of children) {
        if (c.exitCode === null && c.signalCode === null) {
          const exited = new Promise((r) => c.once('exit', r));
          c.kill('SIGKILL');
          await exited;
        }
      }
      await host('ip', ['netns', 'del', name]);
    },
  };
}
