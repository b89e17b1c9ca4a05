// Exec/attach over SPDY: the client opens one stream per wanted stdio stream plus an error stream (and
// a resize stream with a TTY from v3 on), each tagged with a `streamType` header. We accept them all
// and start once the expected number has arrived.
import { finished } from 'node:stream/promises';
import { headerValue, SpdyConnection, type SpdyStream } from '../spdy/index.js';
import type { RemoteCommandOptions } from './options.js';
import type { RemoteSession } from './session.js';
import { encodeStatus } from './status.js';
import type { Duplex } from 'node:stream';

/** SPDY subprotocols of remote command, best first (v5 is WebSocket-only upstream). */
export const REMOTE_COMMAND_SPDY_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

export interface SpdySessionOptions {
  /** The negotiated X-Stream-Protocol-Version ('' = none offered: v1). */
  protocol: string;
  options: RemoteCommandOptions;
  /** Give up when the client has not opened its streams within this time. */
  streamCreationTimeoutMs: number;
}

const versionOf = (protocol: string) => (protocol.startsWith('v') ? Number(protocol.slice(1, protocol.indexOf('.'))) : 1);

/** Starts a server SPDY session on an upgraded transport and waits for the client's streams. */
export function acceptSpdySession(transport: Duplex, o: SpdySessionOptions): Promise<RemoteSession> {
  const version = versionOf(o.protocol);
  const expected = 1 + Number(o.options.stdin) + Number(o.options.stdout) + Number(o.options.stderr) + Number(o.options.tty && version >= 3);
  const byType = new Map<string, SpdyStream>();
  let received = 0;
  return new Promise<RemoteSession>((resolve, reject) => {
    const timer = setTimeout(() => {
      void conn.close();
      reject(new Error('timed out waiting for client to create streams'));
    }, o.streamCreationTimeoutMs);
    timer.unref?.();
    const conn = new SpdyConnection(transport, {
      server: true,
      onStream: (stream) => {
        void stream.accept();
        byType.set(headerValue(stream.headers, 'streamtype'), stream);
        if (++received !== expected) return;
        clearTimeout(timer);
        resolve(sessionOf(conn, byType, o, version));
      },
    });
    conn.once('close', () => {
      clearTimeout(timer);
      reject(new Error('connection closed before the client created its streams'));
    });
  });
}

function sessionOf(conn: SpdyConnection, byType: Map<string, SpdyStream>, o: SpdySessionOptions, version: number): RemoteSession {
  const error = byType.get('error');
  const stdin = o.options.stdin ? byType.get('stdin') : undefined;
  const stdout = o.options.stdout ? byType.get('stdout') : undefined;
  const stderr = o.options.stderr ? byType.get('stderr') : undefined;
  // v1 clients expect the server to half-close stdin at once (upstream quirk kept for old clients).
  if (version === 1) stdin?.end();
  return {
    stdin,
    stdout,
    stderr,
    resize: byType.get('resize'),
    tty: o.options.tty,
    async writeStatus(status) {
      const bytes = error ? encodeStatus(status, version >= 4) : null;
      if (bytes && error && !error.writableEnded) error.write(bytes);
    },
    async finish() {
      // FIN every stream we hold so the client's copies see EOF, then GOAWAY and hang up.
      const ends = [...byType.values()].map(async (s) => {
        if (!s.writableEnded) s.end();
        await finished(s, { readable: false }).catch(() => undefined);
      });
      await Promise.all(ends);
      await conn.close();
    },
  };
}
