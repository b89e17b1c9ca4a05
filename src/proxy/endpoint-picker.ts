// Picks a backend for each new connection of one service port (the userspace proxy's load
// balancer, as upstream's userspace round-robin): round-robin over the current endpoints, and
// with ClientIP affinity the same endpoint again for a client seen within the timeout.
// Time is injected so the affinity expiry is tested without waiting.
import type { Clock } from '../util/clock.js';
import { endpointString, type Endpoint } from './service-map.js';

interface Affinity {
  endpoint: string;
  lastUsed: number;
}

export class EndpointPicker {
  private endpoints: Endpoint[] = [];
  /** Index of the endpoint the next round-robin pick returns. */
  private next = 0;
  /** Client IP → its endpoint; only used while stickySeconds > 0, only names current endpoints. */
  private readonly affinity = new Map<string, Affinity>();
  private stickyMs = 0;

  constructor(private readonly clock: Clock) {}

  /** Replaces the endpoint set; affinities to endpoints that left are forgotten. */
  update(endpoints: Endpoint[], stickySeconds: number): void {
    const same = endpoints.length === this.endpoints.length && endpoints.every((e, i) => endpointString(e) === endpointString(this.endpoints[i]!));
    this.endpoints = [...endpoints];
    if (!same) this.next = this.endpoints.length ? this.next % this.endpoints.length : 0;
    this.stickyMs = stickySeconds * 1000;
    const keep = new Set(endpoints.map(endpointString));
    for (const [client, a] of this.affinity) if (this.stickyMs === 0 || !keep.has(a.endpoint)) this.affinity.delete(client);
  }

  current(): readonly Endpoint[] {
    return this.endpoints;
  }

  /** The endpoint for a new connection from `clientIP`, or undefined when there is none. */
  pick(clientIP: string): Endpoint | undefined {
    if (this.endpoints.length === 0) return undefined;
    const now = this.clock.now();
    if (this.stickyMs > 0) {
      const a = this.affinity.get(clientIP);
      if (a && now - a.lastUsed <= this.stickyMs) {
        const ep = this.endpoints.find((e) => endpointString(e) === a.endpoint);
        if (ep) {
          a.lastUsed = now;
          return ep;
        }
      }
    }
    const ep = this.endpoints[this.next % this.endpoints.length]!;
    this.next = (this.next + 1) % this.endpoints.length;
    if (this.stickyMs > 0) this.affinity.set(clientIP, { endpoint: endpointString(ep), lastUsed: now });
    return ep;
  }

  /**
   * After a failed dial: the client's affinity is dropped and the next endpoint in turn is
   * returned, skipping those already tried (undefined when all were).
   */
  retry(clientIP: string, tried: Set<string>): Endpoint | undefined {
    this.affinity.delete(clientIP);
    for (let i = 0; i < this.endpoints.length; i++) {
      const ep = this.pick(clientIP);
      if (ep && !tried.has(endpointString(ep))) return ep;
    }
    return undefined;
  }
}
