// SPDY/3 header compression: each direction of a connection is ONE zlib stream primed with the SPDY
// dictionary; every header block is compressed (or inflated) as the next piece of that stream and ended
// with a SYNC_FLUSH so the peer can decode it at once. Blocks must therefore be processed strictly in
// wire order — calls here are serialized, and the connection calls them in frame order.
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from './header-block.js';
import { SpdyProtocolError } from './frames.js';

class ZlibContext {
  private out: Buffer[] = [];
  private failure: Error | null = null;
  /** Rejects the block in flight when zlib fails (it then never calls the flush callback). */
  private onFailure: ((err: Error) => void) | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly z: zlib.Deflate | zlib.Inflate) {
    z.on('data', (c: Buffer) => this.out.push(c));
    z.on('error', (err) => {
      this.failure = err;
      this.onFailure?.(err);
    });
  }

  /** Feeds `input` and returns everything the SYNC_FLUSH after it produced. */
  process(input: Buffer): Promise<Buffer> {
    const run = () =>
      new Promise<Buffer>((resolve, reject) => {
        if (this.failure) return reject(this.failure);
        this.onFailure = reject;
        this.z.write(input);
        this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          this.onFailure = null;
          if (this.failure) return reject(this.failure);
          resolve(Buffer.concat(this.out.splice(0)));
        });
      });
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  close(): void {
    this.z.close();
  }
}

export class HeaderCompressor {
  // Go's spdystream compresses at BestCompression; the level only changes the bytes, not the meaning.
  private readonly ctx = new ZlibContext(zlib.createDeflate({ level: 9, dictionary: SPDY3_DICTIONARY }));

  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.ctx.process(encodeHeaderBlock(headers));
  }

  close(): void {
    this.ctx.close();
  }
}

export class HeaderDecompressor {
  private readonly ctx = new ZlibContext(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }));

  async decompress(block: Buffer): Promise<SpdyHeaders> {
    let raw: Buffer;
    try {
      raw = await this.ctx.process(block);
    } catch (err) {
      throw new SpdyProtocolError(`header block does not inflate: ${(err as Error).message}`);
    }
    return decodeHeaderBlock(raw);
  }

  close(): void {
    this.ctx.close();
  }
}
