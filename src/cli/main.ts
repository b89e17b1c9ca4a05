// The k8ts command line: command shapes only; what they do lives in the components.
import { Command, InvalidArgumentError } from 'commander';
import { K8TS_VERSION } from '../version.js';
import { runServer, defaultDataDir } from './server-command.js';
import { runAgent, type AgentFlags } from './agent.js';
import { boolOption, durationOption } from './duration-flag.js';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number');
  return n;
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** The node agent's flags, shared by `server` (embedded agent) and `agent`. */
function agentOptions(cmd: Command): Command {
  return cmd
    .option('--node-name <name>', 'name of this node (default: the host name)')
    .option('--node-ip <ip>', 'IP address the node advertises (default: the first non-loopback IPv4 address)')
    .option('--node-label <key=value>', 'label to register the node with (repeatable)', collect)
    .option('--node-taint <key=value:Effect>', 'taint to register the node with (repeatable)', collect)
    .option('--kubelet-port <port>', 'HTTPS port of the node agent (logs, exec, port-forward, stats)', port, 10250)
    .option('--container-runtime-endpoint <endpoint>', 'process (default: containers are host processes) or fake', 'process')
    .option('--kube-reserved <list>', 'resources reserved for k8ts, e.g. cpu=200m,memory=256Mi')
    .option('--system-reserved <list>', 'resources reserved for the system, e.g. cpu=200m,memory=256Mi')
    .option('--max-pods <n>', 'pods this node runs at most', positiveInt, 110)
    .option('--pod-manifest-path <dir>', 'directory of static pod manifests (one Pod per .yaml/.yml/.json file) this node runs on its own')
    .option('--disable <components>', 'node components not to run: proxy, dns, ingress (comma-separated)')
    .option('--proxy-mode <mode>', 'service proxy mode: iptables (root) or userspace (default: iptables when root and iptables is installed)')
    .option('--cluster-dns <ip>', 'ClusterIP of the kube-dns Service', '10.96.0.10')
    .option('--cluster-domain <domain>', 'the cluster\'s DNS domain', 'cluster.local')
    .option('--cluster-dns-port <port>', 'port the node\'s DNS server listens on (default 53 as root, 10053 otherwise)', port)
    .option('--ingress-http-port <port>', 'HTTP port of the ingress controller (default 80 as root, 8080 otherwise)', port)
    .option('--ingress-https-port <port>', 'HTTPS port of the ingress controller (default 443 as root, 8443 otherwise)', port);
}

function agentFlags(o: Record<string, unknown>): AgentFlags {
  return {
    nodeName: o.nodeName as string | undefined,
    nodeIP: o.nodeIp as string | undefined,
    nodeLabels: o.nodeLabel as string[] | undefined,
    nodeTaints: o.nodeTaint as string[] | undefined,
    kubeletPort: o.kubeletPort as number,
    containerRuntimeEndpoint: o.containerRuntimeEndpoint as string,
    kubeReserved: o.kubeReserved as string | undefined,
    systemReserved: o.systemReserved as string | undefined,
    maxPods: o.maxPods as number,
    podManifestPath: o.podManifestPath as string | undefined,
    disable: o.disable as string | undefined,
    proxyMode: o.proxyMode as string | undefined,
    serviceCidr: o.serviceCidr as string | undefined,
    clusterDns: o.clusterDns as string,
    clusterDomain: o.clusterDomain as string,
    clusterDnsPort: o.clusterDnsPort as number | undefined,
    ingressHttpPort: o.ingressHttpPort as number | undefined,
    ingressHttpsPort: o.ingressHttpsPort as number | undefined,
  };
}

const program = new Command('k8ts').description('Kubernetes, written in TypeScript').version(K8TS_VERSION);

agentOptions(program
  .command('server'))
  .description('run the control plane (API server with its embedded store)')
  .option('--data-dir <dir>', 'folder for the database, certificates and kubeconfig (default ~/.k8ts)')
  .option('--https-listen-port <port>', 'HTTPS port of the API server', port, 6443)
  .option('--bind-address <ip>', 'address the API server listens on', '127.0.0.1')
  .option('--write-kubeconfig <path>', 'where to write the admin kubeconfig (default <data-dir>/kubeconfig.yaml)')
  .option('--datastore-endpoint <url>', 'sqlite://PATH (default: <data-dir>/db/state.db), memory:// or etcd://HOST:PORT')
  .option('--controllers <list>', 'controllers to run: * for all, -name to leave one out (as kube-controller-manager\'s --controllers)', '*')
  .option('--disable-scheduler', 'do not run the scheduler in this process', false)
  .option('--disable-agent', 'do not run the node agent (kubelet) in this process', false)
  .option('--leader-elect [bool]', 'run the scheduler and controller manager under leader election (Leases in kube-system), as upstream', boolOption, true)
  .option('--node-monitor-grace-period <duration>', 'how long a node may go without renewing its Lease before it is marked Unknown', durationOption)
  .option('--node-monitor-period <duration>', 'how often the node lifecycle controller checks node health', durationOption)
  .option('--service-cluster-ip-range <cidr>', 'range ClusterIPs are allocated from', '10.96.0.0/12')
  .option('--service-node-port-range <range>', 'range NodePorts are allocated from', '30000-32767')
  .action(async (o) => {
    await runServer({
      leaderElect: o.leaderElect,
      nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriod,
      nodeMonitorPeriodMs: o.nodeMonitorPeriod,
      dataDir: o.dataDir,
      port: o.httpsListenPort,
      bindAddress: o.bindAddress,
      writeKubeconfig: o.writeKubeconfig,
      datastoreEndpoint: o.datastoreEndpoint,
      disableAgent: o.disableAgent,
      controllers: o.controllers,
      disableScheduler: o.disableScheduler,
      serviceClusterIpRange: o.serviceClusterIpRange,
      serviceNodePortRange: o.serviceNodePortRange,
      agent: agentFlags(o),
    });
  });

agentOptions(program
  .command('agent')
  .description('run a node agent (kubelet) that joins a k8ts server')
  .requiredOption('--server <url>', 'the API server, e.g. https://10.0.0.1:6443')
  .requiredOption('--token <token>', 'the join token (the server writes it to <data-dir>/token)')
  .option('--data-dir <dir>', 'folder for pod volumes and container logs (default ~/.k8ts)')
  .option('--service-cidr <cidr>', 'the cluster\'s service range, routed to a local interface in iptables mode', '10.96.0.0/12'))
  .action(async (o) => {
    await runAgent({ ...agentFlags(o), server: o.server, token: o.token, dataDir: o.dataDir }, defaultDataDir());
  });

await program.parseAsync(process.argv);
