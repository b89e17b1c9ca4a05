// DNS messages on the wire: responses built from the resolver's sections, EDNS0 sizes, and
// truncation (TC) when a UDP answer does not fit, so that clients ask again over TCP.
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, OptAnswer, Packet, Question } from 'dns-packet';
import type { Rcode } from './resolver.js';

/** The classic UDP limit without EDNS0 (RFC 1035). */
export const CLASSIC_UDP_SIZE = 512;
/** The largest UDP payload a datagram can carry. */
const MAX_UDP_SIZE = 65507;
/** The buffer size this server advertises (the DNS flag day 2020 value). */
export const ADVERTISED_UDP_SIZE = 1232;

const RCODES: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
const OPCODE_MASK = 0x7800;

/** The query's EDNS0 OPT record, if it has one. */
export function ednsOf(query: Packet): OptAnswer | undefined {
  return query.additionals?.find((a): a is OptAnswer => a.type === 'OPT');
}

/** How large a UDP response to this query may be: 512, or the size its EDNS0 record offers. */
export function udpLimit(query: Packet): number {
  const opt = ednsOf(query);
  if (!opt) return CLASSIC_UDP_SIZE;
  return Math.min(MAX_UDP_SIZE, Math.max(CLASSIC_UDP_SIZE, opt.udpPayloadSize));
}

/** The query's opcode (0 = QUERY). */
export function opcodeOf(query: DecodedPacket): number {
  return ((query.flags ?? 0) & OPCODE_MASK) >> 11;
}

export interface ResponseSections {
  rcode: Rcode;
  answers?: Answer[];
  authorities?: Answer[];
  additionals?: Answer[];
  /** Authoritative answer: set for names in the cluster zone. */
  authoritative?: boolean;
}

/**
 * A response to `query`: same id, question, opcode and RD/CD bits, RA set (the server recurses
 * for its clients), and an OPT record when the query had one (EDNS0 requires the echo).
 */
export function buildResponse(query: Packet, s: ResponseSections): Packet {
  const qflags = query.flags ?? 0;
  let flags = (qflags & (OPCODE_MASK | packet.RECURSION_DESIRED | packet.CHECKING_DISABLED)) | packet.RECURSION_AVAILABLE | RCODES[s.rcode];
  if (s.authoritative) flags |= packet.AUTHORITATIVE_ANSWER;
  const additionals = [...(s.additionals ?? [])];
  if (ednsOf(query)) additionals.push(optRecord());
  return {
    type: 'response',
    id: query.id,
    flags,
    questions: query.questions ?? [],
    answers: s.answers ?? [],
    authorities: s.authorities ?? [],
    additionals,
  };
}

function optRecord(): OptAnswer {
  return { name: '.', type: 'OPT', udpPayloadSize: ADVERTISED_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] };
}

/**
 * Encodes a response within `limit` bytes (no limit over TCP). Too large for it, the response
 * keeps its OPT record and as many whole answers as fit, loses its other sections, and gets the
 * TC bit: a truncated answer tells the client to retry over TCP.
 */
export function encodeResponse(resp: Packet, limit = Infinity): Buffer {
  const full = packet.encode(resp);
  if (full.length <= limit) return full;
  const opt = (resp.additionals ?? []).filter((a) => a.type === 'OPT');
  const base: Packet = { ...resp, flags: (resp.flags ?? 0) | packet.TRUNCATED_RESPONSE, answers: [], authorities: [], additionals: opt };
  let size = packet.encodingLength(base);
  const empty = packet.encodingLength({ questions: [], answers: [], authorities: [], additionals: [] });
  const kept: Answer[] = [];
  for (const a of resp.answers ?? []) {
    size += packet.encodingLength({ questions: [], answers: [a], authorities: [], additionals: [] }) - empty;
    if (size > limit) break;
    kept.push(a);
  }
  return packet.encode({ ...base, answers: kept });
}

/** A response that only says "truncated" for a raw upstream answer too large for the client. */
export function truncatedReply(raw: Buffer, query: Packet): Buffer {
  const upstreamFlags = raw.length >= 4 ? raw.readUInt16BE(2) & 0x7fff : 0;
  const opt = ednsOf(query) ? [optRecord()] : [];
  return packet.encode({
    type: 'response',
    id: query.id,
    flags: upstreamFlags | packet.TRUNCATED_RESPONSE,
    questions: query.questions ?? [],
    answers: [],
    authorities: [],
    additionals: opt,
  });
}

/** A query packet for one question (used to chase CNAMEs upstream). */
export function encodeQuery(q: Question, id: number): Buffer {
  return packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [q] });
}

/** The id field of a raw message. */
export function messageId(raw: Buffer): number {
  return raw.readUInt16BE(0);
}

/** A copy of a raw message with another id (upstream exchanges use ids of their own). */
export function withId(raw: Buffer, id: number): Buffer {
  const copy = Buffer.from(raw);
  copy.writeUInt16BE(id, 0);
  return copy;
}

/** Whether a raw response has the TC bit set. */
export function isTruncated(raw: Buffer): boolean {
  return raw.length >= 4 && (raw.readUInt16BE(2) & packet.TRUNCATED_RESPONSE) !== 0;
}

/** A message framed for TCP: a two-byte length, then the message (RFC 1035 4.2.2). */
export function frame(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length, 0);
  return Buffer.concat([len, msg]);
}

/** Splits length-prefixed messages off a TCP byte stream; whatever is incomplete stays buffered. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.buf.length >= 2) {
      const len = this.buf.readUInt16BE(0);
      if (this.buf.length < 2 + len) break;
      out.push(this.buf.subarray(2, 2 + len));
      this.buf = this.buf.subarray(2 + len);
    }
    return out;
  }
}
