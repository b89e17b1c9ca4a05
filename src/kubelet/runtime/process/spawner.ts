// Starting containers' main processes off the agent's event loop. child_process.spawn blocks
// the calling thread until the child has exec'd; with a burst of pod starts on a busy machine
// that was ~5 ms per container, a quarter of the agent's thread. A worker thread
// (spawner-worker.cjs) does the spawning; output comes back as messages into local streams,
// input goes out the same way. Signals still go straight to the process group from here.
import { spawn } from 'node:child_process';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';

export interface SpawnRequest {
  file: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
  /** Keep a pipe to the process's stdin. */
  stdin: boolean;
  /** fd 3 is a pipe whose whole content is returned (the launch prelude's report). */
  report: boolean;
  /** Made first, on the spawner thread (the container's cgroup); a failure fails the start. */
  prepare?: Preparation;
  /**
   * A state record (state-dir.ts) to write as soon as the process exists: `fields` plus its pid
   * and /proc start time, so a crash right after the spawn cannot leave it unrecorded.
   */
  record?: { file: string; fields: { id: string; cgroupDirs: string[] } };
}

export interface Preparation {
  mkdirs: string[];
  writes: { file: string; value: string; optional?: boolean }[];
}

/** A started main process, however it was spawned. */
export interface MainProcess {
  pid: number;
  stdin: Writable | null;
  stdout: Readable;
  stderr: Readable;
  /** What fd 3 carried, when a report was asked for. */
  report?: string;
  /** The spawner thread wrote the state record. */
  recorded?: boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The process exited and its output pipes are closed. */
  closed: Promise<void>;
}

interface Pending {
  stdout: PassThrough;
  stderr: PassThrough;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  onExit: (e: { code: number | null; signal: NodeJS.Signals | null }) => void;
  closed: Promise<void>;
  onClose: () => void;
  started?: { resolve(p: MainProcess): void; reject(e: Error): void };
  pid?: number;
}

type WorkerMessage =
  | { id: number; type: 'spawned'; pid: number; report?: string; recorded?: boolean }
  | { id: number; type: 'prepared' }
  | { id: number; type: 'error'; message: string; code?: string }
  | { id: number; type: 'data'; stream: 'stdout' | 'stderr'; data: Uint8Array }
  | { id: number; type: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { id: number; type: 'close' };

export class Spawner {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly preparing = new Map<number, { resolve(): void; reject(e: Error): void }>();

  /** Starts the process; rejects like spawn's 'error' (e.g. ENOENT) when it could not start. */
  spawn(req: SpawnRequest): Promise<MainProcess> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    let onExit!: Pending['onExit'];
    let onClose!: () => void;
    const p: Pending = {
      stdout: new PassThrough(), stderr: new PassThrough(),
      exited: new Promise((r) => (onExit = r)), onExit: (e) => onExit(e),
      closed: new Promise((r) => (onClose = r)), onClose: () => onClose(),
    };
    this.pending.set(id, p);
    return new Promise<MainProcess>((resolve, reject) => {
      p.started = { resolve, reject };
      worker.postMessage({ type: 'spawn', id, ...req });
    }).then((proc) => {
      if (req.stdin) proc.stdin = this.stdinOf(id);
      return proc;
    });
  }

  /** Only the preparation, on the spawner thread (for a spawn that must happen on this one). */
  prepare(prep: Preparation): Promise<void> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.preparing.set(id, { resolve, reject });
      worker.postMessage({ type: 'prepare', id, prepare: prep });
    });
  }

  private stdinOf(id: number): Writable {
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        this.worker?.postMessage({ type: 'stdin', id, data: new Uint8Array(chunk) });
        cb();
      },
      final: (cb) => {
        this.worker?.postMessage({ type: 'stdin-end', id });
        cb();
      },
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./spawner-worker.cjs', import.meta.url));
    w.unref(); // running containers do not keep the process alive; their ContainerProcess does not either
    w.on('message', (m: WorkerMessage) => this.onMessage(m));
    w.on('error', (err) => this.failAll(err));
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
      this.failAll(new Error('the spawner thread exited'));
    });
    this.worker = w;
    return w;
  }

  private onMessage(m: WorkerMessage): void {
    const prep = this.preparing.get(m.id);
    if (prep) {
      this.preparing.delete(m.id);
      if (m.type === 'error') prep.reject(Object.assign(new Error(m.message), { code: m.code }));
      else prep.resolve();
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.type) {
      case 'spawned':
        p.pid = m.pid;
        p.started?.resolve({ pid: m.pid, stdin: null, stdout: p.stdout, stderr: p.stderr, report: m.report, recorded: m.recorded, exited: p.exited, closed: p.closed });
        p.started = undefined;
        break;
      case 'error':
        this.pending.delete(m.id);
        p.started?.reject(Object.assign(new Error(m.message), { code: m.code }));
        break;
      case 'data':
        (m.stream === 'stdout' ? p.stdout : p.stderr).write(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
        break;
      case 'exit':
        p.onExit({ code: m.code, signal: m.signal });
        break;
      case 'close':
        this.pending.delete(m.id);
        p.stdout.end();
        p.stderr.end();
        p.onClose();
        break;
    }
  }

  /** The worker is gone: nothing more will be heard of its processes, so they are killed and reported gone. */
  private failAll(err: Error): void {
    for (const [id, prep] of this.preparing) {
      this.preparing.delete(id);
      prep.reject(err);
    }
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.started?.reject(err);
      if (p.pid) {
        try {
          process.kill(-p.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      p.onExit({ code: null, signal: 'SIGKILL' });
      p.stdout.end();
      p.stderr.end();
      p.onClose();
    }
  }
}

/** The same shape from a direct spawn on this thread (a terminal's slave fd cannot cross to the worker). */
export async function spawnHere(file: string, args: string[], opts: { cwd?: string; env: Record<string, string>; detached: boolean; stdio: (number | 'pipe' | 'ignore')[] }): Promise<MainProcess> {
  const child = spawn(file, args, opts);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const closed = new Promise<void>((r) => child.once('close', () => r()));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => {
      child.off('error', reject);
      child.on('error', () => undefined);
      resolve();
    });
  });
  let report: string | undefined;
  const fd3 = child.stdio[3] as Readable | null | undefined;
  if (fd3) {
    report = '';
    for await (const chunk of fd3) report += (chunk as Buffer).toString();
  }
  const empty = () => new PassThrough().end();
  return { pid: child.pid!, stdin: child.stdin, stdout: child.stdout ?? empty(), stderr: child.stderr ?? empty(), report, exited, closed };
}
