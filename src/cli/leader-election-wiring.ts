// Leader election for the components inside `k8ts server` (the scheduler and the controller
// manager), as kube-scheduler and kube-controller-manager do it: a Lease in kube-system named
// after the component, holder `<hostname>_<uuid>`, 15 s / 10 s / 2 s; a component starts only
// once its candidate leads and, when the lease is lost, stops and the process exits.
//
// A single embedded server must not wait out its own previous lease after a restart, so:
//  - the identity is stable per data dir (the uuid is kept in `<data-dir>/leader-election-id`):
//    after a crash, the restarted server finds itself as holder and renews at once (client-go
//    lets the holder renew its own record whatever its age);
//  - on a clean shutdown the lease is released (ReleaseOnCancel, as kube-scheduler does), so any
//    other server takes over at once too.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LeaderElector, LeaseLock, realTimerClock, type ResourceLock, type RestClient, type TimerClock } from '../client/index.js';

export const LEADER_ELECTION_NAMESPACE = 'kube-system';
const ID_FILE = 'leader-election-id';

export interface LeaderElectionTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** kube-scheduler's and kube-controller-manager's defaults. */
export const DEFAULT_LEADER_ELECTION: LeaderElectionTimings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** `<hostname>_<uuid>`, the uuid kept in the data dir (made on first use) when one is given. */
export function leaderIdentity(dataDir?: string): string {
  if (!dataDir) return `${hostname()}_${randomUUID()}`;
  const file = join(dataDir, ID_FILE);
  let id = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (!/^[0-9a-f-]{36}$/.test(id)) {
    id = randomUUID();
    writeFileSync(file, `${id}\n`, { mode: 0o600 });
  }
  return `${hostname()}_${id}`;
}

/** A component run under leader election. */
export interface ElectedComponent {
  /** The Lease name: kube-scheduler, kube-controller-manager. */
  name: string;
  /** Starts the component; it runs until `signal` aborts; the returned function waits for it to wind down. */
  start(signal: AbortSignal): Promise<() => Promise<void>>;
}

export interface ElectionOptions extends Partial<LeaderElectionTimings> {
  identity: string;
  /** The component's own client (the lease is written as its user). */
  client?: RestClient;
  /** Seam for tests: the lock (default: the Lease kube-system/<name>). */
  lock?: ResourceLock;
  clock?: TimerClock;
  /** Called after the component stopped because the lease was lost (default: exit 1, as upstream). */
  onLost?: (component: string) => void;
  log?: (message: string) => void;
}

export interface Election {
  /**
   * Settles once the first campaign has an answer: this candidate leads and its component has
   * started, or another candidate is seen leading.
   */
  settled: Promise<void>;
  isLeader(): boolean;
  /** Stops the component and gives the lease up. */
  stop(): Promise<void>;
}

export function exitOnLostLease(component: string): void {
  console.error(`k8ts server: leaderelection lost for ${component}, exiting`);
  process.exit(1);
}

export function runElected(component: ElectedComponent, opts: ElectionOptions): Election {
  const abort = new AbortController();
  const log = opts.log ?? ((m: string) => console.error(`k8ts server: ${component.name}: ${m}`));
  let settle!: () => void;
  const settled = new Promise<void>((r) => (settle = r));
  let starting: Promise<(() => Promise<void>) | undefined> | undefined;
  const lock = opts.lock ?? new LeaseLock(opts.client!, LEADER_ELECTION_NAMESPACE, component.name, opts.identity);
  const elector = new LeaderElector({
    lock,
    leaseDurationMs: opts.leaseDurationMs ?? DEFAULT_LEADER_ELECTION.leaseDurationMs,
    renewDeadlineMs: opts.renewDeadlineMs ?? DEFAULT_LEADER_ELECTION.renewDeadlineMs,
    retryPeriodMs: opts.retryPeriodMs ?? DEFAULT_LEADER_ELECTION.retryPeriodMs,
    releaseOnCancel: true,
    clock: opts.clock ?? realTimerClock,
    log: (m) => {
      if (!/^(attempting to acquire|successfully acquired)/.test(m)) log(m);
    },
    callbacks: {
      onStartedLeading: async (signal) => {
        starting = component.start(signal).catch((e) => {
          log(`failed to start: ${(e as Error).message}`);
          return undefined;
        });
        await starting;
        settle();
      },
      onNewLeader: (who) => {
        if (who && who !== opts.identity) {
          log(`new leader elected: ${who}`);
          settle();
        }
      },
    },
  });
  const done = elector.run(abort.signal).then(async () => {
    // run() returns when stop() aborted it or when the lease could not be renewed; either way
    // the leading signal has aborted: wait for the component to wind down.
    const wait = await starting;
    await wait?.();
    settle();
    if (!abort.signal.aborted) (opts.onLost ?? exitOnLostLease)(component.name);
  });
  return {
    settled,
    isLeader: () => elector.isLeader(),
    async stop() {
      abort.abort();
      await done;
    },
  };
}
