// The request headers sent to a backend, pure: hop-by-hop headers dropped (RFC 9110 §7.6.1,
// plus whatever Connection names), the Host kept as the client sent it, and the X-Forwarded-*
// set: For appends the client's address to what came in (each proxy adds its hop), Proto, Host
// and Port say how the client reached this controller. An upgrade keeps Connection/Upgrade.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

export interface ClientHop {
  /** The client's address as the socket reports it. */
  remoteAddress: string | undefined;
  proto: 'http' | 'https';
  /** The port the client connected to (this controller's listener). */
  port: number;
}

/** "::ffff:1.2.3.4" (an IPv4 client on a dual-stack socket) → "1.2.3.4". */
export function clientAddress(addr: string | undefined): string {
  if (!addr) return '';
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}

/** Names of the hop-by-hop headers of a message (fixed ones and those listed in Connection). */
function hopHeaders(headers: IncomingHttpHeaders): Set<string> {
  const out = new Set(HOP_BY_HOP);
  for (const name of String(headers.connection ?? '').split(',')) {
    const n = name.trim().toLowerCase();
    if (n) out.add(n);
  }
  return out;
}

export function forwardedRequestHeaders(incoming: IncomingHttpHeaders, hop: ClientHop, opts: { upgrade?: boolean } = {}): OutgoingHttpHeaders {
  const drop = hopHeaders(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || drop.has(name)) continue;
    out[name] = value;
  }
  const ip = clientAddress(hop.remoteAddress);
  const prior = incoming['x-forwarded-for'];
  out['x-forwarded-for'] = prior ? `${prior}, ${ip}` : ip;
  out['x-forwarded-proto'] = hop.proto;
  if (incoming.host) out['x-forwarded-host'] = incoming.host;
  out['x-forwarded-port'] = String(hop.port);
  out['x-real-ip'] = ip;
  if (opts.upgrade && incoming.upgrade) {
    out.connection = 'Upgrade';
    out.upgrade = incoming.upgrade;
  }
  return out;
}

/** Response headers passed back to the client: the hop-by-hop ones are the server's to set. */
export function forwardedResponseHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  const drop = hopHeaders(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined && !drop.has(name)) out[name] = value;
  }
  return out;
}
