// A document built once at server start and served many times: its serialized JSON, the
// hash upstream uses to name it (uppercase hex SHA-512 of the JSON, as kube-apiserver's
// aggregated discovery and kube-openapi's v3 handler compute it), the ETag made from that
// hash, and the encoded and gzipped bodies, computed on first use and kept.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export class ServedDocument {
  /** The compact JSON text. */
  readonly json: string;
  /** Uppercase hex SHA-512 of `json` (what `?hash=` and the ETag carry upstream). */
  readonly hash: string;
  /** The quoted hash, as the `ETag` header and `If-None-Match` carry it. */
  readonly etag: string;
  private encoded?: Buffer;
  private gzipped?: Buffer;

  constructor(json: string) {
    this.json = json;
    this.hash = createHash('sha512').update(json).digest('hex').toUpperCase();
    this.etag = `"${this.hash}"`;
  }

  static of(value: unknown): ServedDocument {
    return new ServedDocument(JSON.stringify(value));
  }

  /** The UTF-8 body. */
  get bytes(): Buffer {
    return (this.encoded ??= Buffer.from(this.json, 'utf8'));
  }

  /** The gzip-encoded body (for `Accept-Encoding: gzip`). */
  get gzip(): Buffer {
    return (this.gzipped ??= gzipSync(this.bytes));
  }

  /** True when an `If-None-Match` header names this document (→ 304 Not Modified). */
  matches(ifNoneMatch: string | undefined): boolean {
    if (!ifNoneMatch) return false;
    return ifNoneMatch.split(',').some((t) => {
      const tag = t.trim().replace(/^W\//, '');
      return tag === this.etag || tag === '*';
    });
  }
}
