// The listeners: for each address, a UDP socket and a TCP server on the same port (DNS clients
// expect both: TCP is where they go when a UDP answer comes back truncated). Bytes only; the
// handler decides every answer.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { DnsHandler } from './handler.js';
import { FrameReader, frame } from './wire.js';

export interface ListenAddress {
  address: string;
  /** 0: any free port (the same one for UDP and TCP). */
  port: number;
}

export interface ServerOptions {
  /** An idle TCP connection is closed after this long (default 10 s). */
  tcpIdleMs?: number;
  onError?: (err: unknown) => void;
}

export interface DnsListeners {
  /** The port of each listen address, in order (UDP and TCP share it). */
  ports: number[];
  close(): Promise<void>;
}

/** Attempts at finding a free port that is free for both UDP and TCP. */
const PORT_ATTEMPTS = 20;

export async function listenDns(handler: DnsHandler, listen: readonly ListenAddress[], opts: ServerOptions = {}): Promise<DnsListeners> {
  const onError = opts.onError ?? ((err: unknown) => console.error('cluster dns:', err));
  const udps: UdpSocket[] = [];
  const tcps: Server[] = [];
  const conns = new Set<Socket>();
  const ports: number[] = [];
  const close = async () => {
    for (const c of conns) c.destroy();
    await Promise.all([
      ...udps.map((u) => new Promise<void>((r) => u.close(() => r()))),
      ...tcps.map((t) => new Promise<void>((r) => t.close(() => r()))),
    ]);
  };
  try {
    for (const l of listen) {
      const { udp, tcp, port } = await bindPair(l, handler, opts, onError, conns);
      udps.push(udp);
      tcps.push(tcp);
      ports.push(port);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { ports, close };
}

/** Binds UDP, then TCP on the port UDP got; with port 0, tries again when TCP finds it taken. */
async function bindPair(l: ListenAddress, handler: DnsHandler, opts: ServerOptions, onError: (e: unknown) => void, conns: Set<Socket>) {
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUdp(l, handler, onError);
    const port = udp.address().port;
    try {
      const tcp = await bindTcp({ address: l.address, port }, handler, opts, onError, conns);
      return { udp, tcp, port };
    } catch (err) {
      await new Promise<void>((r) => udp.close(() => r()));
      const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (l.port !== 0 || !taken || attempt >= PORT_ATTEMPTS) throw new Error(`cluster dns: listening on tcp ${l.address}:${port}: ${String(err)}`);
    }
  }
}

function bindUdp(l: ListenAddress, handler: DnsHandler, onError: (e: unknown) => void): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIPv6(l.address) ? 'udp6' : 'udp4');
    sock.once('error', (err) => reject(new Error(`cluster dns: listening on udp ${l.address}:${l.port}: ${err.message}`)));
    sock.on('message', (msg, peer) => {
      handler.handle(msg, 'udp').then(
        (resp) => resp && sock.send(resp, peer.port, peer.address, (err) => err && onError(err)),
        onError,
      );
    });
    sock.bind(l.port, l.address, () => {
      sock.removeAllListeners('error');
      sock.on('error', onError);
      resolve(sock);
    });
  });
}

function bindTcp(l: ListenAddress, handler: DnsHandler, opts: ServerOptions, onError: (e: unknown) => void, conns: Set<Socket>): Promise<Server> {
  const server = createServer((conn) => {
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => conn.destroy());
    conn.setTimeout(opts.tcpIdleMs ?? 10_000, () => conn.destroy());
    const reader = new FrameReader();
    conn.on('data', (chunk) => {
      // Several queries may come down one connection, pipelined; each gets its answer when ready.
      for (const msg of reader.push(chunk)) {
        handler.handle(Buffer.from(msg), 'tcp').then((resp) => {
          if (resp && !conn.destroyed) conn.write(frame(resp));
        }, onError);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(l.port, l.address, () => {
      server.removeListener('error', reject);
      server.on('error', onError);
      resolve(server);
    });
  });
}
