import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HeaderCompressor, HeaderDecompressor } from './header-compression.js';
import { decodeHeaderBlock, encodeHeaderBlock, headerValue, normalizeHeaders, type SpdyHeaders } from './header-block.js';
import { SPDY3_DICTIONARY } from './dictionary.js';

describe('header blocks', () => {
  it('encodes lowercase names with 32-bit lengths and NUL-joined values', () => {
    const block = encodeHeaderBlock(normalizeHeaders({ StreamType: 'error', X: ['a', 'b'] }));
    expect(block.toString('hex')).toBe(
      '00000002' + '0000000a' + Buffer.from('streamtype').toString('hex') + '00000005' + Buffer.from('error').toString('hex') +
        '00000001' + '78' + '00000003' + '610062',
    );
    const back = decodeHeaderBlock(block);
    expect(back).toEqual({ streamtype: ['error'], x: ['a', 'b'] });
    expect(headerValue(back, 'StreamType')).toBe('error');
    expect(headerValue(back, 'missing')).toBe('');
  });

  it('rejects duplicate names and truncation', () => {
    const dup = Buffer.concat([Buffer.from('00000002', 'hex'), encodeHeaderBlock({ a: ['1'] }).subarray(4), encodeHeaderBlock({ a: ['2'] }).subarray(4)]);
    expect(() => decodeHeaderBlock(dup)).toThrow(/duplicate/);
    expect(() => decodeHeaderBlock(Buffer.from('0000000100', 'hex'))).toThrow(/truncated/);
  });
});

describe('header compression', () => {
  it('starts a zlib stream announcing the SPDY dictionary, each block sync-flushed', async () => {
    const c = new HeaderCompressor();
    const first = await c.compress({ streamtype: ['stdin'] });
    expect(first.subarray(0, 6).toString('hex')).toBe('78f9e3c6a7c2'); // FDICT + dictionary Adler-32
    expect(first.subarray(-4).toString('hex')).toBe('0000ffff'); // SYNC_FLUSH marker
    c.close();
  });

  it('keeps one context per direction across blocks (later blocks depend on earlier ones)', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    const blocks: SpdyHeaders[] = [
      { streamtype: ['error'], port: ['8080'], requestid: ['0'] },
      { streamtype: ['data'], port: ['8080'], requestid: ['0'] },
      { streamtype: ['data'], port: ['8080'], requestid: ['1'], big: ['x'.repeat(70000)] },
    ];
    const wire = [];
    for (const b of blocks) wire.push(await c.compress(b));
    // The second block alone is not decodable by a fresh inflater: the context is shared.
    const fresh = new HeaderDecompressor();
    await expect(fresh.decompress(wire[1]!)).rejects.toThrow();
    for (let i = 0; i < blocks.length; i++) expect(await d.decompress(wire[i]!)).toEqual(blocks[i]);
    c.close();
    d.close();
    fresh.close();
  });

  it('inflates blocks deflated by another zlib (as Go does, level 9 with the dictionary)', async () => {
    const other = zlib.createDeflate({ level: 9, dictionary: SPDY3_DICTIONARY });
    const chunks: Buffer[] = [];
    other.on('data', (b: Buffer) => chunks.push(b));
    const raw = encodeHeaderBlock({ streamtype: ['stdout'] });
    await new Promise<void>((r) => {
      other.write(raw);
      other.flush(zlib.constants.Z_SYNC_FLUSH, () => r());
    });
    const d = new HeaderDecompressor();
    expect(await d.decompress(Buffer.concat(chunks))).toEqual({ streamtype: ['stdout'] });
    d.close();
    other.close();
  });
});
