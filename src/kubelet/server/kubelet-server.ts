// The node agent's HTTPS server (kubelet port 10250). Every request but /healthz must present a client
// certificate issued by the cluster CA (the API server's kubelet-client certificate); others get 401.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { realClock, type Clock } from '../../util/clock.js';
import type { KubeletHost } from './host.js';
import { parseRoute } from './routes.js';
import { rejectUpgradeWithStatus, sendStatus } from './status-response.js';
import { serveLogs } from './logs-handler.js';
import { handleStreamingUpgrade, type StreamingContext } from './streaming-handlers.js';

export interface KubeletServerOptions {
  host: KubeletHost;
  /** 0 picks a free port. */
  port: number;
  bindAddress?: string;
  tls: { certPem: string; keyPem: string; caPem: string };
  clock?: Clock;
  /** How long a client may take to open the streams of a session (upstream: 30 s). */
  streamCreationTimeoutMs?: number;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServer> {
  const clock = opts.clock ?? realClock;
  const chosenProtocol = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  // The subprotocol is negotiated before upgrading and announced here rather than through ws's own
  // negotiation, which rejects kubectl's tunnel protocol "SPDY/3.1+portforward.k8s.io" ('/' is not a
  // token character) with a 400.
  wss.on('headers', (headers: string[], req: IncomingMessage) => {
    const protocol = chosenProtocol.get(req);
    if (protocol) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
  });
  const ctx: StreamingContext = { host: opts.host, wss, chosenProtocol, streamCreationTimeoutMs: opts.streamCreationTimeoutMs ?? 30_000 };
  const sockets = new Set<Socket>();

  const server = https.createServer(
    { cert: opts.tls.certPem, key: opts.tls.keyPem, ca: opts.tls.caPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      handleRequest(opts.host, clock, req, res).catch((err: Error) => {
        if (!res.headersSent) sendStatus(res, 500, err.message);
        else res.destroy(err);
      });
    },
  );
  server.on('secureConnection', (s: TLSSocket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const route = parseRoute(url.pathname);
    if (!authenticated(req)) return rejectUpgradeWithStatus(socket, 401, 'Unauthorized');
    if (!route || (route.kind !== 'exec' && route.kind !== 'attach' && route.kind !== 'portforward')) {
      return rejectUpgradeWithStatus(socket, 404, `the server could not find the requested resource (${url.pathname})`);
    }
    void handleStreamingUpgrade(ctx, route, url.searchParams, req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bindAddress ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const ws of wss.clients) ws.terminate();
      for (const s of sockets) s.destroy();
      wss.close();
      await closed;
    },
  };
}

function authenticated(req: IncomingMessage): boolean {
  return (req.socket as TLSSocket).authorized === true;
}

async function handleRequest(host: KubeletHost, clock: Clock, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://kubelet');
  const route = parseRoute(url.pathname);
  if (route?.kind === 'healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    return void res.end('ok');
  }
  if (!authenticated(req)) return sendStatus(res, 401, 'Unauthorized');
  if (!route) return sendStatus(res, 404, `the server could not find the requested resource (${url.pathname})`);
  switch (route.kind) {
    case 'stats': {
      const body = JSON.stringify(await host.statsSummary());
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      return void res.end(body);
    }
    case 'metrics': {
      const m = await host.metrics();
      res.writeHead(200, { 'Content-Type': m.contentType, 'Content-Length': Buffer.byteLength(m.body) });
      return void res.end(m.body);
    }
    case 'logs':
      if (req.method !== 'GET') return sendStatus(res, 405, `method ${req.method} not allowed`);
      return serveLogs(host, clock, route, url.searchParams, req, res);
    default:
      // Streams arrive as upgrades; a plain request cannot carry them.
      return sendStatus(res, 400, 'unable to upgrade: missing upgrade headers in request');
  }
}
