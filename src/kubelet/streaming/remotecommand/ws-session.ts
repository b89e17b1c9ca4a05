// Exec/attach over WebSocket channels: 0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize. The error and
// resize channels always exist; stdio channels only when asked for.
import { finished } from 'node:stream/promises';
import type { WebSocket } from 'ws';
import { ChannelConnection } from '../channel/channel-connection.js';
import { Channel, type ChannelProtocol } from '../channel/protocol.js';
import type { RemoteCommandOptions } from './options.js';
import type { RemoteSession } from './session.js';
import { encodeStatus } from './status.js';

export function websocketSession(ws: WebSocket, protocol: ChannelProtocol, o: RemoteCommandOptions): RemoteSession {
  const readable: number[] = [Channel.Resize];
  if (o.stdin) readable.push(Channel.Stdin);
  const conn = new ChannelConnection(ws, protocol, readable);
  // Tell the client the session is up: an empty message on the lowest channel we write to.
  void conn.send(o.stdout ? Channel.Stdout : o.stderr ? Channel.Stderr : Channel.Error, Buffer.alloc(0));
  const outputs: Array<ReturnType<ChannelConnection['output']>> = [];
  const output = (ch: number) => {
    const w = conn.output(ch);
    outputs.push(w);
    return w;
  };
  return {
    stdin: o.stdin ? conn.input(Channel.Stdin) : undefined,
    stdout: o.stdout ? output(Channel.Stdout) : undefined,
    stderr: o.stderr ? output(Channel.Stderr) : undefined,
    resize: conn.input(Channel.Resize),
    tty: o.tty,
    async writeStatus(status) {
      // Output written before the status must reach the client first.
      await Promise.all(
        outputs.map(async (w) => {
          if (!w.writableEnded) w.end();
          await finished(w).catch(() => undefined);
        }),
      );
      const bytes = encodeStatus(status, protocol.statusJson);
      if (bytes) await conn.send(Channel.Error, bytes);
    },
    async finish() {
      conn.close();
      await conn.closed;
    },
  };
}
