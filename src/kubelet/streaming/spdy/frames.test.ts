import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameParser, SpdyProtocolError, type Frame } from './frames.js';
import { SPDY3_DICTIONARY } from './dictionary.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function adler32(b: Buffer): number {
  let a = 1;
  let c = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    c = (c + a) % 65521;
  }
  return ((c << 16) | a) >>> 0;
}

describe('SPDY/3 dictionary', () => {
  it('is the 1423 bytes of the spec (dictionary id e3c6a7c2)', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(adler32(SPDY3_DICTIONARY).toString(16)).toBe('e3c6a7c2');
    expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(hex('00000007 6f7074696f6e73'));
    expect(SPDY3_DICTIONARY.subarray(-7).toString('latin1')).toBe(',enq=0.');
  });
});

describe('frame codec', () => {
  // Byte layouts as moby/spdystream's Framer writes them.
  const vectors: Array<{ name: string; frame: Frame; bytes: string }> = [
    { name: 'DATA', frame: { type: 'data', streamId: 5, fin: false, data: Buffer.from('hi') }, bytes: '00000005 00000002 6869' },
    { name: 'DATA FIN empty', frame: { type: 'data', streamId: 3, fin: true, data: Buffer.alloc(0) }, bytes: '00000003 01000000' },
    { name: 'RST_STREAM cancel', frame: { type: 'rst_stream', streamId: 7, status: 5 }, bytes: '80030003 00000008 00000007 00000005' },
    { name: 'PING', frame: { type: 'ping', id: 1 }, bytes: '80030006 00000004 00000001' },
    { name: 'GOAWAY', frame: { type: 'goaway', lastGoodStreamId: 9, status: 0 }, bytes: '80030007 00000008 00000009 00000000' },
    { name: 'WINDOW_UPDATE', frame: { type: 'window_update', streamId: 1, delta: 32768 }, bytes: '80030009 00000008 00000001 00008000' },
    {
      name: 'SETTINGS initial window',
      frame: { type: 'settings', clear: false, entries: [{ id: 7, value: 65536, flags: 0 }] },
      bytes: '80030004 0000000c 00000001 00000007 00010000',
    },
    {
      name: 'SYN_STREAM fin unidirectional prio 3',
      frame: { type: 'syn_stream', streamId: 1, associatedTo: 0, priority: 3, fin: true, unidirectional: true, headerBlock: hex('aabb') },
      bytes: '80030001 0300000c 00000001 00000000 6000 aabb',
    },
    { name: 'SYN_REPLY', frame: { type: 'syn_reply', streamId: 1, fin: false, headerBlock: hex('cc') }, bytes: '80030002 00000005 00000001 cc' },
    { name: 'HEADERS fin', frame: { type: 'headers', streamId: 2, fin: true, headerBlock: hex('dd') }, bytes: '80030008 01000005 00000002 dd' },
  ];

  for (const v of vectors) {
    it(`encodes and decodes ${v.name}`, () => {
      expect(encodeFrame(v.frame).toString('hex')).toBe(hex(v.bytes).toString('hex'));
      expect(new FrameParser().push(hex(v.bytes))).toEqual([v.frame]);
    });
  }

  it('reassembles frames split across chunks and splits chunks holding several frames', () => {
    const all = Buffer.concat(vectors.map((v) => hex(v.bytes)));
    const p = new FrameParser();
    const out: Frame[] = [];
    for (let i = 0; i < all.length; i += 3) out.push(...p.push(all.subarray(i, i + 3)));
    expect(out).toEqual(vectors.map((v) => v.frame));
    expect(p.pending).toBe(0);
  });

  it('ignores control frame types it does not know (CREDENTIAL, 10)', () => {
    expect(new FrameParser().push(hex('8003000a 00000002 0000'))).toEqual([{ type: 'unknown', frameType: 10 }]);
  });

  it('rejects other protocol versions', () => {
    expect(() => new FrameParser().push(hex('80020006 00000004 00000001'))).toThrow(SpdyProtocolError);
  });

  it('rejects truncated control payloads', () => {
    expect(() => new FrameParser().push(hex('80030003 00000004 00000001'))).toThrow(/too short/);
  });
});
