// Finding a command as execve with a PATH search would, before spawning: a missing binary is a
// start error the kubelet reports (upstream: `exec: "x": executable file not found in $PATH`),
// not a process that dies with 127.
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The path that would run, or an error message in upstream's words. */
export function resolveExecutable(cmd: string, envPath: string | undefined, cwd: string): { path: string } | { error: string } {
  if (cmd.includes('/')) {
    const p = isAbsolute(cmd) ? cmd : resolve(cwd, cmd);
    return isExecutable(p) ? { path: p } : { error: `exec: "${cmd}": stat ${cmd}: no such file or directory` };
  }
  for (const dir of (envPath ?? DEFAULT_PATH).split(':')) {
    const p = join(dir || '.', cmd);
    if (isExecutable(dir ? p : resolve(cwd, p))) return { path: p };
  }
  return { error: `exec: "${cmd}": executable file not found in $PATH` };
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
