// Wiring: the control-plane components that run inside `k8ts server` (controller manager, and
// the scheduler once built), each a client of the API through the in-process transport as its
// own user, exactly as it would be over HTTPS from another machine.
import { hostname } from 'node:os';
import { setMaxListeners } from 'node:events';
import { RestClient, SharedInformerFactory, EventBroadcaster, realTimerClock } from '../client/index.js';
import type { RunningApiServer } from '../apiserver/api-server.js';
import { CONTROLLERS, rootCaPublisherFactory, runControllerManager } from '../controllers/index.js';
import { inProcessTransport } from './in-process-transport.js';
import { startScheduler } from '../scheduler/index.js';

export interface ControlPlane {
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Controller names to run (default: all built). */
  controllers?: string[];
  disableScheduler?: boolean;
}

/** Every controller, including those that need something from the server (the cluster CA). */
export function controllerSet(server: Pick<RunningApiServer, 'pki'>): typeof CONTROLLERS {
  return { ...CONTROLLERS, 'root-ca-cert-publisher': rootCaPublisherFactory(server.pki.ca.certPem) };
}

export async function startControlPlane(server: RunningApiServer, opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const abort = new AbortController();
  // Every controller and informer listens for the one stop signal.
  setMaxListeners(0, abort.signal);
  const user = { name: 'system:kube-controller-manager', groups: ['system:authenticated'] };
  const client = new RestClient(inProcessTransport(server, user));
  const informers = new SharedInformerFactory(client);
  const events = new EventBroadcaster(client);
  const host = hostname();
  await runControllerManager(
    { client, informers, recorder: (component) => events.newRecorder({ component, host }), clock: realTimerClock, signal: abort.signal },
    { controllers: controllerSet(server), enabled: opts.controllers },
  );

  // The scheduler is a separate component with its own identity and informers.
  const schedUser = { name: 'system:kube-scheduler', groups: ['system:authenticated'] };
  const schedClient = new RestClient(inProcessTransport(server, schedUser));
  const schedInformers = new SharedInformerFactory(schedClient);
  const schedEvents = new EventBroadcaster(schedClient);
  if (!opts.disableScheduler) {
    await startScheduler({
      client: schedClient, informers: schedInformers, clock: realTimerClock, signal: abort.signal,
      recorder: (component: string) => schedEvents.newRecorder({ component, host }),
    });
  }
  return {
    async stop() {
      abort.abort();
      await Promise.all([informers.shutdown(), schedInformers.shutdown()]);
      await Promise.all([events.shutdown(), schedEvents.shutdown()]);
    },
  };
}
