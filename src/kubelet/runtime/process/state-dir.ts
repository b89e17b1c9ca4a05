// What survives a restart of the runtime: one small file per running container under
// `<rootDir>/runtime/state/`. There is no shim holding a container's pipes, so a new runtime
// cannot re-attach to processes of the previous one (their logs and exit codes would be lost);
// init kills them — the whole process group and cgroup — and forgets them, and the kubelet
// starts the pods' containers afresh.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProcEntry } from './proc-stats.js';

export interface ContainerRecord {
  id: string;
  pid: number;
  /** /proc start time of the pid, so a reused pid is never killed by mistake. */
  startTime: number;
  /** cgroup directories to clean up, if any. */
  cgroupDirs: string[];
}

export class StateDir {
  readonly dir: string;

  constructor(rootDir: string) {
    this.dir = join(rootDir, 'runtime', 'state');
    mkdirSync(this.dir, { recursive: true });
  }

  /** The record's file; the spawner thread writes it as soon as the process exists (spawner.ts). */
  pathOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  save(rec: ContainerRecord): void {
    writeFileSync(this.pathOf(rec.id), JSON.stringify(rec));
  }

  forget(id: string): void {
    rmSync(this.pathOf(id), { force: true });
  }

  list(): ContainerRecord[] {
    const out: ContainerRecord[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        out.push(JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as ContainerRecord);
      } catch {
        rmSync(join(this.dir, name), { force: true }); // torn write: nothing to act on
      }
    }
    return out;
  }

  /** Kills the leftovers of a previous run; returns the ids it killed. */
  killLeftovers(killCgroup: (dirs: string[]) => void): string[] {
    const killed: string[] = [];
    for (const rec of this.list()) {
      const live = readProcEntry(rec.pid);
      if (live && live.startTime === rec.startTime) {
        try {
          process.kill(-rec.pid, 'SIGKILL');
        } catch {
          // group already gone
        }
        killed.push(rec.id);
      }
      if (rec.cgroupDirs.length) killCgroup(rec.cgroupDirs);
      this.forget(rec.id);
    }
    return killed;
  }
}
