// One DNS message in, one out: decode, answer the cluster zone from the resolver, forward the
// rest, and encode within the transport's size limit. The UDP and TCP servers only move bytes.
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import type { ClusterView } from './cluster-view.js';
import type { Forwarder } from './forwarder.js';
import { resolve, type DnsQuestion, type ResolverOptions } from './resolver.js';
import { buildResponse, encodeQuery, encodeResponse, opcodeOf, truncatedReply, udpLimit } from './wire.js';

export type Transport = 'udp' | 'tcp';

/** A TCP message's length is a 16-bit field: larger answers are truncated there too. */
const MAX_TCP_SIZE = 65535;

export interface HandlerOptions {
  view: ClusterView;
  resolver: ResolverOptions;
  forwarder: Forwarder;
}

export class DnsHandler {
  constructor(private readonly opts: HandlerOptions) {}

  /** The response to a raw message, or undefined when there is nothing to answer (garbage, responses). */
  async handle(raw: Buffer, transport: Transport): Promise<Buffer | undefined> {
    let query: DecodedPacket;
    try {
      query = packet.decode(raw);
    } catch {
      return formatError(raw);
    }
    if (query.flag_qr) return undefined;
    const limit = transport === 'udp' ? udpLimit(query) : MAX_TCP_SIZE;
    const reply = (rcode: 'FORMERR' | 'NOTIMP' | 'SERVFAIL') => encodeResponse(buildResponse(query, { rcode }), limit);
    if (opcodeOf(query) !== 0) return reply('NOTIMP');
    const [q, ...more] = query.questions ?? [];
    if (!q || more.length > 0) return reply('FORMERR');

    const r = resolve({ name: q.name, type: q.type, class: q.class }, this.opts.view, this.opts.resolver);
    if (r.kind === 'forward') {
      const answer = await this.opts.forwarder.exchange(raw);
      if (!answer) return reply('SERVFAIL');
      return answer.length <= limit ? answer : truncatedReply(answer, query);
    }
    const chased = r.chase ? await this.chase(r.chase) : [];
    const resp = buildResponse(query, {
      rcode: r.rcode,
      answers: [...r.answers, ...chased],
      authorities: r.authorities,
      additionals: r.additionals,
      authoritative: true,
    });
    return encodeResponse(resp, limit);
  }

  /**
   * The upstream's answers for the target of an ExternalName alias, appended after the CNAME
   * as CoreDNS does, so stub resolvers get addresses in one round trip. Nothing on failure: the
   * CNAME alone still lets a client follow it itself.
   */
  private async chase(q: DnsQuestion): Promise<Answer[]> {
    const raw = await this.opts.forwarder.exchange(encodeQuery({ name: q.name, type: q.type as packet.RecordType }, 0));
    if (!raw) return [];
    try {
      return packet.decode(raw).answers ?? [];
    } catch {
      return [];
    }
  }
}

/** FORMERR for a message that does not decode, when at least its header is there to echo. */
function formatError(raw: Buffer): Buffer | undefined {
  if (raw.length < 12 || (raw.readUInt16BE(2) & 0x8000) !== 0) return undefined;
  return packet.encode({ type: 'response', id: raw.readUInt16BE(0), flags: 1, questions: [], answers: [], authorities: [], additionals: [] });
}
