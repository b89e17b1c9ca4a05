// Asks upstream resolvers what the cluster zone does not answer: each query over UDP from a
// fresh socket (a random source port and id, so spoofed answers are hard to land), again over
// TCP when the answer comes back truncated, the next upstream when one fails or stays silent.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import { FrameReader, frame, isTruncated, messageId, withId } from './wire.js';
import { parseUpstream } from './resolv-conf.js';

export interface ForwarderOptions {
  /** How long one upstream may take to answer one attempt (default 2 s). */
  timeoutMs?: number;
}

export class Forwarder {
  private readonly upstreams: Array<{ host: string; port: number }>;
  private readonly timeoutMs: number;

  constructor(upstreams: readonly string[], opts: ForwarderOptions = {}) {
    this.upstreams = upstreams.map(parseUpstream);
    this.timeoutMs = opts.timeoutMs ?? 2000;
  }

  /**
   * The first upstream answer to a raw query, carrying the query's id; undefined when no
   * upstream answered (the caller answers SERVFAIL).
   */
  async exchange(query: Buffer): Promise<Buffer | undefined> {
    const clientId = messageId(query);
    for (const up of this.upstreams) {
      const id = randomInt(0, 0x10000);
      const out = withId(query, id);
      try {
        let answer = await this.udp(up.host, up.port, out, id);
        if (isTruncated(answer)) answer = await this.tcp(up.host, up.port, out, id);
        return withId(answer, clientId);
      } catch {
        // This upstream failed or timed out: try the next.
      }
    }
    return undefined;
  }

  private udp(host: string, port: number, msg: Buffer, id: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const sock = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
      let finished = false;
      const done = (err: Error | undefined, answer?: Buffer) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        sock.close();
        if (err) reject(err);
        else resolve(answer!);
      };
      const timer = setTimeout(() => done(new Error(`upstream ${host}:${port} timed out`)), this.timeoutMs);
      sock.on('error', (err) => done(err));
      sock.on('message', (answer) => {
        // A datagram with another id is not ours (late or forged): keep waiting.
        if (answer.length >= 12 && messageId(answer) === id) done(undefined, answer);
      });
      // Connected, so the kernel drops datagrams from other peers and reports refusals.
      sock.connect(port, host, () => sock.send(msg));
    });
  }

  private tcp(host: string, port: number, msg: Buffer, id: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port });
      const reader = new FrameReader();
      let finished = false;
      const done = (err: Error | undefined, answer?: Buffer) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        sock.destroy();
        if (err) reject(err);
        else resolve(answer!);
      };
      const timer = setTimeout(() => done(new Error(`upstream ${host}:${port} timed out over TCP`)), this.timeoutMs);
      sock.on('error', (err) => done(err));
      sock.on('connect', () => sock.write(frame(msg)));
      sock.on('data', (chunk) => {
        for (const answer of reader.push(chunk)) if (messageId(answer) === id) return done(undefined, Buffer.from(answer));
      });
      sock.on('end', () => done(new Error(`upstream ${host}:${port} closed the connection`)));
    });
  }
}
