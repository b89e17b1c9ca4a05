// A raw HTTPS client with the admin certificate, for requests kubectl would never send.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerHandle } from './harness.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

export function rawClient(s: ServerHandle, opts: { anonymous?: boolean } = {}) {
  const tls = join(s.dataDir, 'tls');
  const agent = new https.Agent({
    ca: readFileSync(join(tls, 'ca.crt')),
    ...(opts.anonymous ? {} : { cert: readFileSync(join(tls, 'admin.crt')), key: readFileSync(join(tls, 'admin.key')) }),
    keepAlive: true,
    maxSockets: 64,
  });
  const request = (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      // Node's client frames no body on DELETE unless told its length.
      const framing = body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {};
      const req = https.request(`${s.url}${path}`, { method, agent, headers: { ...framing, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, body: text, json: () => JSON.parse(text) });
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.end(body);
      else req.end();
    });
  return { request, agent, close: () => agent.destroy() };
}
