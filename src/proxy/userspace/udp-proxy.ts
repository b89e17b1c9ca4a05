// One UDP port of the userspace mode. UDP has no connections, so each client address gets an
// association: its own socket towards the endpoint picked for its first datagram, which carries
// the client's later datagrams and brings the replies back. Associations end after `idleMs`
// without traffic, or when their endpoint leaves the service.
import dgram from 'node:dgram';
import type { Timer, TimerClock } from '../../client/index.js';
import { EndpointPicker } from '../endpoint-picker.js';
import { endpointString, type Endpoint } from '../service-map.js';

export interface UdpProxyOptions {
  host: string;
  port: number;
  clock: TimerClock;
  /** Default 60 s. */
  idleMs?: number;
}

interface Association {
  socket: dgram.Socket;
  endpoint: Endpoint;
  lastActive: number;
}

export class UdpProxy {
  readonly picker: EndpointPicker;
  private readonly socket = dgram.createSocket({ type: 'udp4' });
  /** `clientIP:port` → its association; at most one per client address. */
  private readonly assocs = new Map<string, Association>();
  private sweeper: Timer | undefined;
  private closed = false;

  constructor(private readonly opts: UdpProxyOptions) {
    this.picker = new EndpointPicker(opts.clock);
    this.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind({ address: this.opts.host, port: this.opts.port, exclusive: true }, () => {
        this.socket.off('error', reject);
        this.socket.on('error', () => {});
        this.sweep();
        resolve();
      });
    });
  }

  retarget(endpoints: Endpoint[], stickySeconds: number): void {
    this.picker.update(endpoints, stickySeconds);
    const keep = new Set(endpoints.map(endpointString));
    for (const [key, a] of this.assocs) if (!keep.has(endpointString(a.endpoint))) this.drop(key);
  }

  /** The bound port (useful when asked for port 0). */
  boundPort(): number {
    return this.socket.address().port;
  }

  associations(): number {
    return this.assocs.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sweeper?.cancel();
    for (const key of [...this.assocs.keys()]) this.drop(key);
    await new Promise<void>((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve(); // never bound, or already closed
      }
    });
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const key = `${rinfo.address}:${rinfo.port}`;
    let a = this.assocs.get(key);
    if (!a) {
      const endpoint = this.picker.pick(rinfo.address);
      if (!endpoint) return; // no endpoint: the datagram is dropped, as iptables would
      const socket = dgram.createSocket({ type: 'udp4' });
      const assoc: Association = { socket, endpoint, lastActive: this.opts.clock.now() };
      a = assoc;
      socket.on('message', (reply) => {
        assoc.lastActive = this.opts.clock.now();
        if (!this.closed) this.socket.send(reply, rinfo.port, rinfo.address);
      });
      socket.on('error', () => this.drop(key));
      this.assocs.set(key, assoc);
    }
    a.lastActive = this.opts.clock.now();
    a.socket.send(msg, a.endpoint.port, a.endpoint.ip);
  }

  private drop(key: string): void {
    const a = this.assocs.get(key);
    if (!a) return;
    this.assocs.delete(key);
    try {
      a.socket.close();
    } catch {
      // already closed
    }
  }

  private sweep(): void {
    const idle = this.opts.idleMs ?? 60_000;
    this.sweeper = this.opts.clock.setTimer(() => {
      const now = this.opts.clock.now();
      for (const [key, a] of this.assocs) if (now - a.lastActive > idle) this.drop(key);
      if (!this.closed) this.sweep();
    }, Math.max(1000, idle / 2));
  }
}
