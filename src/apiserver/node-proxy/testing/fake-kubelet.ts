// A stand-in kubelet for tests: an HTTPS server with a serving certificate from the cluster CA that
// requires a client certificate, records every request, and answers logs, stats, a WebSocket echo
// (exec/attach) and a raw echo after a 101 (SPDY-style port-forward).
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import type { StatsSummary } from '../../../api/kubelet/stats-summary.js';
import { issueServingCert, type Pki } from '../../pki/index.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  /** The verified client certificate's CN ('' when none). */
  clientCn: string;
}

export interface FakeKubelet {
  port: number;
  seen: SeenRequest[];
  /** Resolves when a follow log stream was closed by the API server. */
  followClosed: Promise<void>;
  /** Set to change the stats answer (undefined → 500). */
  stats: StatsSummary | undefined;
  /** Set to make /containerLogs answer with this code and Status. */
  logError?: { code: number; message: string };
  close(): Promise<void>;
}

export async function startFakeKubelet(pki: Pick<Pki, 'ca'>, opts: { logLines?: string[]; stats?: StatsSummary } = {}): Promise<FakeKubelet> {
  const serving = await issueServingCert(pki, { cn: 'fake-kubelet', sans: ['127.0.0.1', 'localhost'] });
  const seen: SeenRequest[] = [];
  let onFollowClosed!: () => void;
  const followClosed = new Promise<void>((r) => (onFollowClosed = r));
  const record = (req: IncomingMessage) => {
    const sock = req.socket as TLSSocket;
    const cn = sock.authorized ? String(sock.getPeerCertificate().subject?.CN ?? '') : '';
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, clientCn: cn });
  };
  const state: FakeKubelet = {
    port: 0, seen, followClosed, stats: opts.stats,
    close: async () => {
      wss.close();
      for (const s of sockets) s.destroy(); // upgraded ones too, which closeAllConnections skips
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = https.createServer({ key: serving.keyPem, cert: serving.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    record(req);
    handle(state, req, res, opts.logLines ?? ['line 1', 'line 2'], onFollowClosed);
  });
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (s: TLSSocket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => [...protocols][0] ?? false });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    record(req);
    if (String(req.headers.upgrade).toLowerCase() === 'websocket') {
      // Echo each message back with channel 1 (stdout) in front, as a v5 exec would print it.
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('message', (data: Buffer) => ws.send(Buffer.concat([Buffer.from([1]), data])));
      });
      return;
    }
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
    if (head.length) socket.write(head);
    socket.pipe(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as AddressInfo).port;
  return state;
}

function handle(state: FakeKubelet, req: IncomingMessage, res: ServerResponse, lines: string[], onFollowClosed: () => void): void {
  const url = new URL(req.url ?? '/', 'https://kubelet');
  if (url.pathname === '/stats/summary') {
    if (!state.stats) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('no stats');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(state.stats));
    return;
  }
  if (url.pathname.startsWith('/containerLogs/')) {
    if (state.logError) {
      const { code, message } = state.logError;
      res.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    for (const l of lines) res.write(`${l}\n`);
    if (url.searchParams.get('follow') !== 'true') {
      res.end();
      return;
    }
    let n = 0;
    const timer = setInterval(() => res.write(`tick ${n++}\n`), 20);
    res.on('close', () => {
      clearInterval(timer);
      onFollowClosed();
    });
    return;
  }
  if (/^\/(exec|attach|portForward)\//.test(url.pathname)) {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Upgrade request required');
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
}
