import { describe, expect, it } from 'vitest';
import * as packet from 'dns-packet';
import type { Answer } from 'dns-packet';
import { FrameReader, buildResponse, encodeQuery, encodeResponse, frame, truncatedReply, udpLimit } from './wire.js';

const query = packet.decode(encodeQuery({ name: 'many.default.svc.cluster.local', type: 'A' }, 9));
const answers: Answer[] = Array.from({ length: 50 }, (_, i) => ({ name: 'many.default.svc.cluster.local', type: 'A', ttl: 5, data: `10.0.0.${i}` }));

describe('wire', () => {
  it('keeps as many answers as fit and sets TC when a response is too large', () => {
    const resp = buildResponse(query, { rcode: 'NOERROR', answers, authoritative: true });
    const full = packet.decode(encodeResponse(resp));
    expect(full.flag_tc).toBe(false);
    expect(full.flag_aa && full.flag_rd && full.flag_ra).toBe(true);
    const cut = encodeResponse(resp, 512);
    expect(cut.length).toBeLessThanOrEqual(512);
    const decoded = packet.decode(cut);
    expect(decoded.flag_tc).toBe(true);
    expect(decoded.id).toBe(9);
    expect(decoded.answers!.length).toBeGreaterThan(0);
    expect(decoded.answers!.length).toBeLessThan(50);
  });

  it('reads the EDNS0 size, never below 512', () => {
    expect(udpLimit(query)).toBe(512);
    const opt = (size: number) => ({ ...query, additionals: [{ name: '.', type: 'OPT' as const, udpPayloadSize: size, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] });
    expect(udpLimit(opt(4096))).toBe(4096);
    expect(udpLimit(opt(100))).toBe(512);
  });

  it('answers an oversized upstream response with a bare truncated one', () => {
    const big = encodeResponse(buildResponse(query, { rcode: 'NOERROR', answers }));
    const r = packet.decode(truncatedReply(big, query));
    expect(r.flag_tc).toBe(true);
    expect(r.answers).toEqual([]);
    expect(r.questions).toEqual(query.questions);
  });

  it('splits TCP frames across and within chunks', () => {
    const a = encodeQuery({ name: 'a.example', type: 'A' }, 1);
    const b = encodeQuery({ name: 'b.example', type: 'A' }, 2);
    const stream = Buffer.concat([frame(a), frame(b)]);
    const reader = new FrameReader();
    expect(reader.push(stream.subarray(0, 1))).toEqual([]);
    expect(reader.push(stream.subarray(1, a.length + 3))).toEqual([a]);
    expect(reader.push(stream.subarray(a.length + 3))).toEqual([b]);
  });
});
