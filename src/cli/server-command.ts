// `k8ts server`: start the API server, say how to use it, stop cleanly on SIGINT/SIGTERM.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { startApiServer } from '../apiserver/api-server.js';
import { startControlPlane } from './control-plane.js';
import { CONTROLLERS } from '../controllers/index.js';
import { startEmbeddedAgent, type AgentFlags } from './agent.js';
import type { RunningAgent } from './agent.js';

/** Resolves a --controllers list against the known names; unknown names are an error. */
export function selectControllers(spec: string, known: string[]): string[] {
  const items = spec.split(',').map((x) => x.trim()).filter(Boolean);
  for (const i of items) {
    const name = i.replace(/^-/, '');
    if (name !== '*' && !known.includes(name)) throw new Error(`--controllers: unknown controller "${name}" (known: ${known.join(', ')})`);
  }
  const all = items.includes('*');
  return known.filter((n) => (all || items.includes(n)) && !items.includes(`-${n}`));
}

export interface ServerFlags {
  dataDir?: string;
  port: number;
  bindAddress: string;
  writeKubeconfig?: string;
  datastoreEndpoint?: string;
  disableAgent: boolean;
  /** kube-controller-manager style: `*`, `*,-deployment`, `replicaset,namespace`. */
  controllers?: string;
  disableScheduler?: boolean;
  /** --leader-elect (default true). */
  leaderElect?: boolean;
  /** --node-monitor-grace-period / --node-monitor-period, in ms. */
  nodeMonitorGracePeriodMs?: number;
  nodeMonitorPeriodMs?: number;
  serviceClusterIpRange?: string;
  serviceNodePortRange?: string;
  /** The embedded node agent's flags (unused with --disable-agent). */
  agent: AgentFlags;
}

export function defaultDataDir(): string {
  return process.env.K8TS_DATA_DIR ?? join(homedir(), '.k8ts');
}

export async function runServer(flags: ServerFlags): Promise<void> {
  const started = performance.now();
  const dataDir = resolve(flags.dataDir ?? defaultDataDir());
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let server;
  try {
    server = await startApiServer({
      dataDir,
      bindAddress: flags.bindAddress,
      port: flags.port,
      datastoreEndpoint: flags.datastoreEndpoint,
      writeKubeconfig: flags.writeKubeconfig ? resolve(flags.writeKubeconfig) : undefined,
      serviceClusterIpRange: flags.serviceClusterIpRange,
      serviceNodePortRange: flags.serviceNodePortRange,
    });
  } catch (e) {
    console.error(`k8ts server: ${(e as Error).message}`);
    process.exit(1);
  }
  let controlPlane;
  try {
    controlPlane = await startControlPlane(server, { controllers: selectControllers(flags.controllers ?? '*', [...Object.keys(CONTROLLERS), 'root-ca-cert-publisher']), disableScheduler: flags.disableScheduler,
      leaderElect: flags.leaderElect, dataDir,
      nodeLifecycle: { nodeMonitorGracePeriodMs: flags.nodeMonitorGracePeriodMs, nodeMonitorPeriodMs: flags.nodeMonitorPeriodMs },
    });
  } catch (e) {
    console.error(`k8ts server: starting the control plane: ${(e as Error).message}`);
    await server.close();
    process.exit(1);
  }
  let agent: RunningAgent | undefined;
  if (!flags.disableAgent) {
    try {
      agent = await startEmbeddedAgent(server, { ...flags.agent, serviceCidr: flags.agent.serviceCidr ?? flags.serviceClusterIpRange }, dataDir);
    } catch (e) {
      console.error(`k8ts server: starting the node agent: ${(e as Error).message}`);
      await controlPlane.stop();
      await server.close();
      process.exit(1);
    }
  }
  const ms = Math.round(performance.now() - started);
  console.log(`k8ts server is ready at ${server.url} (${ms} ms)`);
  console.log(`  data dir:   ${dataDir}`);
  console.log(`  kubeconfig: ${server.kubeconfigPath}`);
  if (agent) {
    console.log(`  node:       ${agent.nodeName} (process runtime; node port ${agent.port})`);
    for (const line of agent.summary) console.log(`  ${line}`);
  }
  else console.log('  node:       none (--disable-agent); join one with `k8ts agent --server URL --token TOKEN`');
  console.log('');
  console.log('Use it with kubectl:');
  console.log(`  export KUBECONFIG=${server.kubeconfigPath}`);
  console.log('  kubectl get namespaces');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`k8ts server: ${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await agent?.stop();
    await controlPlane.stop();
    await server.close();
    console.log('k8ts server: stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
