// Running host tools (iptables-restore, iptables, ip). A seam: the iptables proxier and the
// safety route take a runner, so tests can record commands, or run them inside a network
// namespace (`ip netns exec NAME …`) without touching the host.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type CommandRunner = (cmd: string, args: string[], stdin?: string) => Promise<RunResult>;

/** Runs commands on this host, optionally behind a prefix such as `['ip', 'netns', 'exec', 'ns1']`. */
export function hostRunner(prefix: string[] = []): CommandRunner {
  return (cmd, args, stdin) => new Promise((resolve, reject) => {
    const argv = [...prefix, cmd, ...args];
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => {}); // a tool that exits early closes its stdin
    child.stdin.end(stdin ?? '');
  });
}

/** Runs and throws with the tool's own message when it fails. */
export async function mustRun(run: CommandRunner, cmd: string, args: string[], stdin?: string): Promise<string> {
  const r = await run(cmd, args, stdin);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Whether an executable is on PATH (or in the sbin directories root's PATH usually has). */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}
