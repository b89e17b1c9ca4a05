// Reading request bodies with kube-apiserver's size limit (3 MiB → 413).
import { errors } from '../../api/errors.js';
import type { Req } from './types.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: Req, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume?.();
    return Promise.reject(errors.tooLarge(`Request entity too large: limit is ${limit}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(errors.tooLarge(`Request entity too large: limit is ${limit}`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
    req.on('error', (e: Error) => !failed && reject(e));
  });
}
