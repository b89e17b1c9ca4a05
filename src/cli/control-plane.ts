// Wiring: the control-plane components that run inside `k8ts server` (controller manager and
// scheduler), each a client of the API through the in-process transport as its own user, exactly
// as it would be over HTTPS from another machine. Each runs under leader election by default
// (Leases kube-system/kube-controller-manager and kube-system/kube-scheduler), so several
// servers on one datastore run one controller manager and one scheduler between them.
import { hostname } from 'node:os';
import { setMaxListeners } from 'node:events';
import { RestClient, SharedInformerFactory, EventBroadcaster, realTimerClock } from '../client/index.js';
import type { RunningApiServer } from '../apiserver/api-server.js';
import { CONTROLLERS, rootCaPublisherFactory, runControllerManager } from '../controllers/index.js';
import { nodeLifecycleFactory, type NodeLifecycleOptions } from '../controllers/node-lifecycle/index.js';
import { inProcessTransport } from './in-process-transport.js';
import { startScheduler } from '../scheduler/index.js';
import { leaderIdentity, runElected, type ElectedComponent, type Election, type ElectionOptions } from './leader-election-wiring.js';

export interface ControlPlane {
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Controller names to run (default: all built). */
  controllers?: string[];
  disableScheduler?: boolean;
  /** Options of the nodelifecycle controller (--node-monitor-grace-period …). */
  nodeLifecycle?: NodeLifecycleOptions;
  /** --leader-elect (default true). */
  leaderElect?: boolean;
  /** Where the stable leader-election identity is kept (see leader-election-wiring.ts). */
  dataDir?: string;
  /** Overrides of the election (timings, identity, onLost), mostly for tests. */
  election?: Partial<ElectionOptions>;
}

/** Every controller, including those that need something from the server (the cluster CA). */
export function controllerSet(server: Pick<RunningApiServer, 'pki'>, nodeLifecycle?: NodeLifecycleOptions): typeof CONTROLLERS {
  return {
    ...CONTROLLERS,
    'root-ca-cert-publisher': rootCaPublisherFactory(server.pki.ca.certPem),
    ...(nodeLifecycle ? { nodelifecycle: nodeLifecycleFactory(nodeLifecycle) } : {}),
  };
}

/** A first campaign with no answer (the API failing) must not hold the server's readiness forever. */
const SETTLE_WAIT_MS = 5_000;

export async function startControlPlane(server: RunningApiServer, opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const host = hostname();
  const component = (name: string, user: string, run: (client: RestClient, informers: SharedInformerFactory, events: EventBroadcaster, signal: AbortSignal) => Promise<unknown>) => {
    const client = new RestClient(inProcessTransport(server, { name: user, groups: ['system:authenticated'] }));
    const elected: ElectedComponent = {
      name,
      async start(signal) {
        // Every controller and informer listens for the one stop signal.
        setMaxListeners(0, signal);
        // Fresh informers per term: a stopped informer factory does not start again.
        const informers = new SharedInformerFactory(client);
        const events = new EventBroadcaster(client);
        await run(client, informers, events, signal);
        return async () => {
          await informers.shutdown();
          await events.shutdown();
        };
      },
    };
    return { client, elected };
  };

  const cm = component('kube-controller-manager', 'system:kube-controller-manager', (client, informers, events, signal) =>
    runControllerManager(
      { client, informers, recorder: (c) => events.newRecorder({ component: c, host }), clock: realTimerClock, signal },
      { controllers: controllerSet(server, opts.nodeLifecycle), enabled: opts.controllers },
    ));
  // The scheduler is a separate component with its own identity and informers.
  const sched = component('kube-scheduler', 'system:kube-scheduler', (client, informers, events, signal) =>
    startScheduler({ client, informers, clock: realTimerClock, signal, recorder: (c: string) => events.newRecorder({ component: c, host }) }));
  const parts = opts.disableScheduler ? [cm] : [cm, sched];

  if (opts.leaderElect === false) {
    const abort = new AbortController();
    const stops: (() => Promise<void>)[] = [];
    for (const p of parts) stops.push(await p.elected.start(abort.signal));
    return {
      async stop() {
        abort.abort();
        await Promise.all(stops.map((s) => s()));
      },
    };
  }

  const identity = opts.election?.identity ?? leaderIdentity(opts.dataDir);
  const elections: Election[] = parts.map((p) => runElected(p.elected, { ...opts.election, identity, client: p.client }));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(elections.map((e) => e.settled)),
    new Promise<void>((r) => (timer = setTimeout(r, SETTLE_WAIT_MS))),
  ]);
  clearTimeout(timer);
  return {
    async stop() {
      await Promise.all(elections.map((e) => e.stop()));
    },
  };
}
