// The Transport over HTTPS (HTTP/1.1 with keep-alive), authenticating with a client certificate
// or a bearer token, and decoding gzip responses. One keep-alive agent per transport; a watch
// holds its own connection until it ends or is closed.
import https from 'node:https';
import { createGunzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { loadKubeconfig, type ClientConfig } from './kubeconfig.js';
import { splitLines, type Query, type StreamRequest, type Transport, type TransportRequest, type TransportResponse, type TransportStream } from './transport.js';

export { loadKubeconfig, type ClientConfig } from './kubeconfig.js';

const gunzipAsync = promisify(gunzip);

export interface HttpsTransportOptions {
  /** Per-request timeout in ms (not applied to streams); default 60 s. */
  timeoutMs?: number;
  /** Sockets kept per host (default 100). */
  maxSockets?: number;
}

export class HttpsTransport implements Transport {
  private readonly agent: https.Agent;
  private readonly base: URL;
  private readonly timeoutMs: number;

  constructor(
    readonly config: ClientConfig,
    opts: HttpsTransportOptions = {},
  ) {
    this.base = new URL(config.server);
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: opts.maxSockets ?? 100,
      ca: config.ca,
      cert: config.cert,
      key: config.key,
      rejectUnauthorized: !config.insecureSkipTLSVerify,
      servername: config.tlsServerName,
    });
  }

  static fromKubeconfig(path: string, opts: HttpsTransportOptions & { context?: string } = {}): HttpsTransport {
    return new HttpsTransport(loadKubeconfig(path, opts.context), opts);
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const res = await this.open(req.method, req.path, req.query, req.headers, req.body, this.timeoutMs);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    let body = Buffer.concat(chunks);
    if (String(res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') body = await gunzipAsync(body);
    return { status: res.statusCode ?? 0, headers: res.headers, body };
  }

  async stream(req: StreamRequest): Promise<TransportStream> {
    const res = await this.open('GET', req.path, req.query, req.headers, undefined, 0);
    let source: Readable = res;
    if (String(res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') source = res.pipe(createGunzip());
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      res.destroy();
      if (source !== res) source.destroy();
    };
    async function* lines(): AsyncGenerator<string> {
      try {
        for await (const l of splitLines(source as AsyncIterable<Buffer>)) {
          if (closed) return;
          yield l;
        }
      } catch (e) {
        if (!closed) throw e;
      }
    }
    return { status: res.statusCode ?? 0, headers: res.headers, lines: lines(), close };
  }

  /** Closes idle keep-alive connections (open watches end when closed by their owners). */
  destroy(): void {
    this.agent.destroy();
  }

  private open(method: string, path: string, query: Query | undefined, headers: Record<string, string> | undefined, body: Buffer | string | undefined, timeoutMs: number): Promise<IncomingMessage> {
    const qs = query && Object.keys(query).length ? `?${new URLSearchParams(query as Record<string, string>).toString()}` : '';
    const h: Record<string, string | number> = { 'accept-encoding': 'gzip', ...lower(headers) };
    if (this.config.token) h.authorization = `Bearer ${this.config.token}`;
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const r = https.request(
        {
          agent: this.agent,
          protocol: this.base.protocol,
          hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: this.base.port || 443,
          method,
          path: `${this.base.pathname.replace(/\/+$/, '')}${path}${qs}`,
          headers: h,
        },
        resolve,
      );
      r.on('error', reject);
      if (timeoutMs > 0) r.setTimeout(timeoutMs, () => r.destroy(new Error(`${method} ${path}: timed out after ${timeoutMs} ms`)));
      r.end(body);
    });
  }
}

function lower(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}
