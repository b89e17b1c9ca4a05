// Transparent proxying of an upgrade request to a kubelet, as upstream's UpgradeAwareHandler does
// it: the same request (method, translated path, the client's upgrade headers; no credentials) goes
// to the kubelet; its response head is relayed as it came (101, or an error with its body), and
// after a 101 the two sockets are piped until either side closes.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeletClient } from './kubelet-client.js';
import { dialError } from './kubelet-client.js';
import type { UpgradeContext } from './upgrade.js';

/** Request headers passed on to the kubelet (the rest, Authorization included, stay here). */
const FORWARDED = new Set([
  'upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol',
  'sec-websocket-extensions', 'x-stream-protocol-version', 'user-agent', 'content-type',
]);

/** The client's upgrade headers, repeated ones kept as separate lines (X-Stream-Protocol-Version). */
export function forwardedHeaders(rawHeaders: string[]): OutgoingHttpHeaders {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (!FORWARDED.has(name.toLowerCase())) continue;
    (out[name] ??= []).push(rawHeaders[i + 1]!);
  }
  return out;
}

/** The response head as the kubelet sent it; a refused upgrade's body is relayed decoded, delimited by close. */
function head(res: IncomingMessage, closeDelimited: boolean): string {
  const lines = [`HTTP/1.1 ${res.statusCode} ${res.statusMessage ?? ''}`];
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i]!;
    if (closeDelimited && /^(transfer-encoding|connection|keep-alive)$/i.test(name)) continue;
    lines.push(`${name}: ${res.rawHeaders[i + 1]}`);
  }
  if (closeDelimited) lines.push('Connection: close');
  return lines.join('\r\n') + '\r\n\r\n';
}

function pipeBoth(a: Duplex, b: Duplex): void {
  const closeBoth = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', closeBoth);
  b.on('error', closeBoth);
  a.on('close', closeBoth);
  b.on('close', closeBoth);
  a.pipe(b);
  b.pipe(a);
}

export interface UpgradeProxyRequest {
  kubelet: KubeletClient;
  nodeName: string;
  method: string;
  /** Kubelet path and query. */
  path: string;
  rawHeaders: string[];
  upgrade: UpgradeContext;
  /** Called once, just before the first byte is written to the client socket. */
  claim(): void;
}

/**
 * Proxies the upgrade. Resolves with the kubelet's status code once its answer is relayed (the
 * streams keep flowing after that); rejects with a Status error before anything was written.
 */
export async function proxyUpgrade(p: UpgradeProxyRequest): Promise<number> {
  const { req, endpoint } = await p.kubelet.open(p.nodeName, { method: p.method, path: p.path, headers: forwardedHeaders(p.rawHeaders) });
  const client = p.upgrade.socket;
  return new Promise<number>((resolve, reject) => {
    let answered = false;
    const abort = () => req.destroy();
    client.once('close', abort);
    req.on('upgrade', (res, backend, rest) => {
      answered = true;
      client.off('close', abort);
      p.claim();
      client.write(head(res, false));
      if (rest.length) client.write(rest);
      if (p.upgrade.head.length) backend.write(p.upgrade.head);
      pipeBoth(client, backend);
      resolve(101);
    });
    req.on('response', (res) => {
      // The kubelet refused the upgrade: relay its answer as is and close.
      answered = true;
      client.off('close', abort);
      p.claim();
      client.write(head(res, true));
      res.pipe(client);
      res.on('error', () => client.destroy());
      resolve(res.statusCode ?? 502);
    });
    req.on('error', (e) => {
      client.off('close', abort);
      if (answered) client.destroy();
      else reject(dialError(p.nodeName, endpoint, e));
    });
    req.end();
  });
}
