// Writing responses: JSON bodies, Kubernetes Status errors, warnings.
import { gzip } from 'node:zlib';
import { StatusError, type Status } from '../../api/errors.js';
import type { Req, Res } from './types.js';

const GZIP_MIN = 16 * 1024;

export function writeJson(req: Req, res: Res, code: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  writeBody(req, res, code, text, contentType);
}

export function writeBody(req: Req, res: Res, code: number, text: string | Buffer, contentType: string): void {
  if (res.headersSent) return;
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const headers: Record<string, string | number> = { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private' };
  if (buf.length >= GZIP_MIN && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    // Compressed on the thread pool, so a large list never stalls the event loop.
    gzip(buf, { level: 1 }, (err, out) => {
      if (res.headersSent || res.destroyed) return;
      if (err) {
        res.writeHead(code, { ...headers, 'Content-Length': buf.length });
        res.end(buf);
        return;
      }
      res.writeHead(code, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': out.length });
      res.end(out);
    });
    return;
  }
  headers['Content-Length'] = buf.length;
  res.writeHead(code, headers);
  res.end(buf);
}

export function writeStatusError(req: Req, res: Res, err: StatusError): void {
  const s = err.toStatus();
  if (err.code === 429 && err.details?.retryAfterSeconds) res.setHeader('Retry-After', String(err.details.retryAfterSeconds));
  writeJson(req, res, err.code, s);
}

export function successStatus(details?: Status['details']): Status & { status: 'Success' } {
  const s: Status & { status: 'Success' } = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 } as never;
  if (details) s.details = details;
  return s;
}

/** Adds `Warning: 299 - "text"` headers as kube-apiserver does. */
export function addWarnings(res: Res, warnings: string[]): void {
  if (!warnings.length || res.headersSent) return;
  const values = [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w)}`);
  res.setHeader('Warning', values);
}
