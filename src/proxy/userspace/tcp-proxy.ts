// One TCP listener of the userspace mode: accepts on host:port and pipes each connection to an
// endpoint its picker chooses. A failed (or too slow) dial moves on to the next endpoint, so a
// backend that just died costs the client a retry, not an error. Half-closes are passed through.
import net from 'node:net';
import type { TimerClock } from '../../client/index.js';
import { EndpointPicker } from '../endpoint-picker.js';
import { endpointString, type Endpoint } from '../service-map.js';

export interface PortProxyOptions {
  host: string;
  port: number;
  clock: TimerClock;
  /** Give up on an endpoint that has not accepted within this time (default 5 s). */
  dialTimeoutMs?: number;
}

/** Connections strip the IPv4-mapped prefix so affinity sees one address per client. */
export function clientAddress(addr: string | undefined): string {
  return (addr ?? '').replace(/^::ffff:/, '');
}

export class TcpProxy {
  readonly picker: EndpointPicker;
  private readonly server: net.Server;
  /** Open client and backend sockets, destroyed when the listener closes. */
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly opts: PortProxyOptions) {
    this.picker = new EndpointPicker(opts.clock);
    this.server = net.createServer({ allowHalfOpen: true }, (c) => this.accept(c));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen({ host: this.opts.host, port: this.opts.port, exclusive: true }, () => {
        this.server.off('error', onError);
        this.server.on('error', () => {}); // nothing to report once listening
        resolve();
      });
    });
  }

  retarget(endpoints: Endpoint[], stickySeconds: number): void {
    this.picker.update(endpoints, stickySeconds);
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }

  private accept(client: net.Socket): void {
    this.track(client);
    client.on('error', () => client.destroy());
    const ip = clientAddress(client.remoteAddress);
    const tried = new Set<string>();
    const dial = (ep: Endpoint | undefined): void => {
      if (!ep || client.destroyed) return void client.destroy();
      tried.add(endpointString(ep));
      const up = net.connect({ host: ep.ip, port: ep.port, allowHalfOpen: true });
      this.track(up);
      let connected = false;
      up.setTimeout(this.opts.dialTimeoutMs ?? 5000, () => {
        if (!connected) up.destroy(new Error('dial timeout'));
      });
      up.once('connect', () => {
        connected = true;
        up.setTimeout(0);
        client.pipe(up);
        up.pipe(client);
        client.once('close', () => up.destroy());
        up.once('close', () => client.destroy());
      });
      up.on('error', () => {
        up.destroy();
        if (!connected) dial(this.picker.retry(ip, tried));
        else client.destroy();
      });
    };
    dial(this.picker.pick(ip));
  }
}
