// Wiring: the control-plane components that run inside `k8ts server` (controller manager, and
// the scheduler once built), each a client of the API through the in-process transport as its
// own user, exactly as it would be over HTTPS from another machine.
import { hostname } from 'node:os';
import { RestClient, SharedInformerFactory, EventBroadcaster, realTimerClock } from '../client/index.js';
import type { RunningApiServer } from '../apiserver/api-server.js';
import { CONTROLLERS, runControllerManager } from '../controllers/index.js';
import { inProcessTransport } from './in-process-transport.js';

export interface ControlPlane {
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Controller names to run (default: all built). */
  controllers?: string[];
}

export async function startControlPlane(server: RunningApiServer, opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const abort = new AbortController();
  const user = { name: 'system:kube-controller-manager', groups: ['system:authenticated'] };
  const client = new RestClient(inProcessTransport(server, user));
  const informers = new SharedInformerFactory(client);
  const events = new EventBroadcaster(client);
  const host = hostname();
  await runControllerManager(
    { client, informers, recorder: (component) => events.newRecorder({ component, host }), clock: realTimerClock, signal: abort.signal },
    { controllers: CONTROLLERS, enabled: opts.controllers },
  );
  return {
    async stop() {
      abort.abort();
      await informers.shutdown();
      await events.shutdown();
    },
  };
}
