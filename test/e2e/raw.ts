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

export interface WatchStream {
  status: number;
  /** The newline-delimited JSON events received so far. */
  events: any[];
  /** Resolves with the first event (in order of arrival) that matches; rejects if the stream ends first. */
  next(match: (ev: any) => boolean): Promise<any>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch (or any streaming GET) with the admin certificate and parses its events as they come. */
export function watchStream(s: ServerHandle, path: string, agent: https.Agent): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${s.url}${path}`, { method: 'GET', agent }, (res) => {
      const events: any[] = [];
      const waiters: { match: (ev: any) => boolean; resolve: (ev: any) => void; reject: (e: Error) => void }[] = [];
      let buf = '';
      let done = false;
      const check = () => {
        for (const w of [...waiters]) {
          const hit = events.find(w.match);
          if (hit !== undefined) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(hit);
          } else if (done) {
            waiters.splice(waiters.indexOf(w), 1);
            w.reject(new Error(`the stream ended without a matching event; got ${JSON.stringify(events)}`));
          }
        }
      };
      let endStream!: () => void;
      const ended = new Promise<void>((r) => (endStream = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) events.push(JSON.parse(line));
        }
        check();
      });
      const finish = () => {
        if (done) return;
        done = true;
        check();
        endStream();
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      resolve({
        status: res.statusCode!,
        events,
        ended,
        next: (match) => new Promise((res2, rej2) => {
          waiters.push({ match, resolve: res2, reject: rej2 });
          check();
        }),
        close: () => {
          req.destroy();
          finish();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}
