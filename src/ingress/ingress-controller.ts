// The ingress controller each node agent runs: informers over Ingresses, IngressClasses,
// Services, EndpointSlices and TLS Secrets feed the router; an HTTP and an HTTPS listener pass
// requests through it to the Services' endpoints; the Ingresses it serves get this node's IPs in
// status.loadBalancer. Start-up is a sequence of steps, each failure says which step failed.
import { Agent, createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Ingress } from 'kubernetes-types/networking/v1.js';
import { SharedInformerFactory, deletedObject, metaNamespaceKey, resources, type RestClient } from '../client/index.js';
import { ensureIngressClass } from './ingress-class.js';
import { proxyRequest, proxyUpgrade } from './http-proxy.js';
import { IngressStatusWriter } from './load-balancer-status.js';
import { BY_SERVICE_INDEX, IngressRouter, byServiceIndexFunc } from './router.js';
import { selfSignedCertificate } from './self-signed.js';

export interface IngressControllerOptions {
  /** A client allowed to read Ingresses, IngressClasses, Services, EndpointSlices and TLS Secrets, write Ingress status, create IngressClasses. */
  client: RestClient;
  nodeName: string;
  /** This node's addresses, written into the served Ingresses' status. */
  nodeIPs: string[];
  /** 0: any free port (tests). */
  httpPort: number;
  httpsPort: number;
  /** Default: every address. */
  bindAddress?: string;
  onError?: (err: unknown) => void;
}

export interface RunningIngressController {
  httpPort: number;
  httpsPort: number;
  close(): Promise<void>;
}

/** --ingress-http-port / --ingress-https-port defaults: privileged ports as root only. */
export function defaultIngressPorts(uid: number | undefined = process.getuid?.()): { http: number; https: number } {
  return uid === 0 ? { http: 80, https: 443 } : { http: 8080, https: 8443 };
}

async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new Error(`ingress controller: ${what}: ${(e as Error).message ?? e}`, { cause: e });
  }
}

function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startIngressController(opts: IngressControllerOptions): Promise<RunningIngressController> {
  const onError = opts.onError ?? ((e: unknown) => console.error(`k8ts: ingress controller (${opts.nodeName}):`, e));
  // A missing class only means Ingresses without a class are not served: log, carry on.
  await ensureIngressClass(opts.client).catch((e) => onError(new Error(`ensuring IngressClass k8ts: ${(e as Error).message ?? e}`)));

  const factory = new SharedInformerFactory(opts.client);
  // Only TLS Secrets are of interest: narrowed so other Secrets never reach this process.
  const tlsFactory = new SharedInformerFactory(opts.client, { narrow: { fieldSelector: 'type=kubernetes.io/tls' } });
  const ingInf = factory.informerFor(resources.ingresses);
  const classInf = factory.informerFor(resources.ingressClasses);
  const sliceInf = factory.informerFor(resources.endpointSlices, { indexers: { [BY_SERVICE_INDEX]: byServiceIndexFunc } });
  const router = new IngressRouter({
    ingresses: ingInf.lister(),
    ingressClasses: classInf.lister(),
    services: factory.lister(resources.services),
    endpointSlices: sliceInf.getIndexer(),
    secrets: tlsFactory.lister(resources.secrets),
    onError,
  });
  const status = new IngressStatusWriter({ client: opts.client, lister: ingInf.lister(), nodeIPs: opts.nodeIPs, serves: (i) => router.serves(i), onError });

  const ingressChanged = (ing: Ingress) => {
    router.invalidate();
    status.enqueue(metaNamespaceKey(ing));
  };
  ingInf.addEventHandler({
    onAdd: ingressChanged,
    onUpdate: (_old, cur) => ingressChanged(cur),
    onDelete: (obj) => ingressChanged(deletedObject(obj)),
  });
  // A class change may change which Ingresses are ours: every one is looked at again.
  const classChanged = () => {
    router.invalidate();
    for (const ing of ingInf.lister().list()) status.enqueue(metaNamespaceKey(ing));
  };
  classInf.addEventHandler({ onAdd: classChanged, onUpdate: classChanged, onDelete: classChanged });

  const abort = new AbortController();
  const stopInformers = () => Promise.all([factory.shutdown(), tlsFactory.shutdown()]);
  const servers: Server[] = [];
  const agent = new Agent({ keepAlive: true });
  try {
    await step('syncing informers', async () => {
      factory.start();
      tlsFactory.start();
      const synced = [...(await factory.waitForCacheSync(abort.signal)).values(), ...(await tlsFactory.waitForCacheSync(abort.signal)).values()];
      if (!synced.every(Boolean)) throw new Error('caches did not sync');
    });
    const fallback = await step('generating the fallback certificate', () => selfSignedCertificate());

    const onRequest = (proto: 'http' | 'https') => (req: IncomingMessage, res: ServerResponse) =>
      proxyRequest(req, res, router.decide(req.headers.host, req.url), { remoteAddress: req.socket.remoteAddress, proto, port: req.socket.localPort ?? 0 }, agent);
    const onUpgrade = (proto: 'http' | 'https') => (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      proxyUpgrade(req, socket, head, router.decide(req.headers.host, req.url), { remoteAddress: req.socket.remoteAddress, proto, port: req.socket.localPort ?? 0 });

    const http = createHttpServer({ keepAliveTimeout: 60_000, headersTimeout: 65_000 }, onRequest('http'));
    http.on('upgrade', onUpgrade('http'));
    const https = createHttpsServer({
      cert: fallback.certPem,
      key: fallback.keyPem,
      keepAliveTimeout: 60_000,
      headersTimeout: 65_000,
      SNICallback: (servername, cb) => cb(null, router.secureContext(servername)),
    }, onRequest('https'));
    https.on('upgrade', onUpgrade('https'));
    servers.push(http, https);
    const httpPort = await step(`listening for HTTP on port ${opts.httpPort}`, () => listen(http, opts.httpPort, opts.bindAddress));
    const httpsPort = await step(`listening for HTTPS on port ${opts.httpsPort}`, () => listen(https, opts.httpsPort, opts.bindAddress));

    status.start();
    for (const ing of ingInf.lister().list()) status.enqueue(metaNamespaceKey(ing));

    let closed: Promise<void> | undefined;
    return {
      httpPort,
      httpsPort,
      close: () => (closed ??= (async () => {
        // Our IPs leave the status first, so clients stop being sent here, then the listeners go.
        await status.stop();
        await Promise.all(servers.map(closeServer));
        agent.destroy();
        abort.abort();
        await stopInformers();
      })()),
    };
  } catch (e) {
    abort.abort();
    await Promise.all(servers.filter((s) => s.listening).map(closeServer));
    agent.destroy();
    await stopInformers();
    throw e;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
