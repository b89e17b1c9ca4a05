// In-process requests: components inside `k8ts server` (controllers, scheduler, embedded agent)
// reach the API through the same router as HTTPS clients — same authorization as their own
// user, admission, validation, conversion and watch semantics — without a socket or TLS.
// Bodies are still serialized, so callers never share objects with the server.
import { PassThrough, Writable } from 'node:stream';
import type { Req, Res, UserInfo } from './http/types.js';
import { IN_PROCESS_USER } from './auth/authenticator.js';

export interface InProcessRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query?: Readonly<Record<string, string>>;
  headers?: Readonly<Record<string, string>>;
  body?: Buffer | string;
  user: UserInfo;
}

export interface InProcessResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The response body as it arrives (a watch stays open until closed). */
  body: AsyncIterable<Buffer>;
  /** Ends the request (a watch stops). */
  close(): void;
}

type Handler = (req: Req, res: Res) => Promise<void>;

/** Sends one request through the router; resolves once the response headers are written. */
export function inProcessRequest(handle: Handler, r: InProcessRequest): Promise<InProcessResponse> {
  const qs = r.query && Object.keys(r.query).length ? `?${new URLSearchParams(r.query as Record<string, string>)}` : '';
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body);
  const req = new PassThrough() as PassThrough & Record<string, unknown>;
  const headers: Record<string, string> = { 'user-agent': `k8ts-in-process/${r.user.name}` };
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  headers['content-length'] = String(body.length);
  Object.assign(req, { method: r.method, url: `${r.path}${qs}`, headers, [IN_PROCESS_USER]: r.user, socket: {} });
  req.end(body);

  const out = new PassThrough();
  return new Promise((resolve, reject) => {
    let status = 200;
    const resHeaders: Record<string, string | string[] | undefined> = {};
    let sent = false;
    const res = new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.write(chunk);
        cb();
      },
      final(cb) {
        out.end();
        cb();
      },
    }) as Writable & Record<string, unknown>;
    const respond = () => {
      if (sent) return;
      sent = true;
      resolve({
        status,
        headers: resHeaders,
        body: out,
        close: () => {
          req.emit('close');
          res.destroy();
          out.end();
        },
      });
    };
    Object.assign(res, {
      get statusCode() {
        return status;
      },
      set statusCode(v: number) {
        status = v;
      },
      get headersSent() {
        return sent;
      },
      setHeader(name: string, value: string | string[]) {
        resHeaders[name.toLowerCase()] = value;
      },
      getHeader(name: string) {
        return resHeaders[name.toLowerCase()];
      },
      writeHead(code: number, h?: Record<string, string | number | string[]>) {
        status = code;
        for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) resHeaders[k.toLowerCase()] = Array.isArray(v) ? v : String(v);
        respond();
        return res;
      },
      flushHeaders: respond,
    });
    // A response written without writeHead (res.end only) still resolves.
    res.on('finish', respond);
    res.on('close', () => req.emit('close'));
    handle(req as unknown as Req, res as unknown as Res).then(respond, reject);
  });
}

/** Reads a whole in-process response body (gzip is never used in process). */
export async function readAll(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c);
  return Buffer.concat(chunks);
}
