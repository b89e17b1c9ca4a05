// The k8ts command line: command shapes only; what they do lives in the components.
import { Command, InvalidArgumentError } from 'commander';
import { K8TS_VERSION } from '../version.js';
import { runServer } from './server-command.js';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number');
  return n;
}

const program = new Command('k8ts').description('Kubernetes, written in TypeScript').version(K8TS_VERSION);

program
  .command('server')
  .description('run the control plane (API server with its embedded store)')
  .option('--data-dir <dir>', 'folder for the database, certificates and kubeconfig (default ~/.k8ts)')
  .option('--https-listen-port <port>', 'HTTPS port of the API server', port, 6443)
  .option('--bind-address <ip>', 'address the API server listens on', '127.0.0.1')
  .option('--write-kubeconfig <path>', 'where to write the admin kubeconfig (default <data-dir>/kubeconfig.yaml)')
  .option('--datastore-endpoint <url>', 'sqlite://PATH (default: <data-dir>/db/state.db), memory:// or etcd://HOST:PORT')
  .option('--controllers <list>', 'controllers to run: * for all, -name to leave one out (as kube-controller-manager\'s --controllers)', '*')
  .option('--disable-scheduler', 'do not run the scheduler in this process', false)
  .option('--disable-agent', 'do not run the node agent in this process (the agent arrives with its own issue)', false)
  .action(async (o) => {
    await runServer({
      dataDir: o.dataDir,
      port: o.httpsListenPort,
      bindAddress: o.bindAddress,
      writeKubeconfig: o.writeKubeconfig,
      datastoreEndpoint: o.datastoreEndpoint,
      disableAgent: o.disableAgent,
      controllers: o.controllers,
      disableScheduler: o.disableScheduler,
    });
  });

await program.parseAsync(process.argv);
