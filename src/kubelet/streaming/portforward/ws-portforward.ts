// Port-forward over WebSocket channels (what @kubernetes/client-node uses): the ports come from the
// query, port i gets channel 2i for data (both ways) and 2i+1 for errors (ours to write). The first
// message on each channel carries the port as 2 bytes little-endian. The session ends when every
// port's forward is over.
import { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { ChannelConnection } from '../channel/channel-connection.js';
import type { ChannelProtocol } from '../channel/protocol.js';
import { forwardErrorMessage, parsePort, type PortForwarder } from './forwarder.js';

/** Ports from `?port=` (the kubelet's name) or `?ports=` (the API's), each possibly comma-separated. */
export function parsePortsQuery(q: URLSearchParams): number[] | { error: string } {
  const raw = [...q.getAll('port'), ...q.getAll('ports')];
  if (raw.length === 0) return { error: 'query parameter "port" is required' };
  const ports: number[] = [];
  for (const entry of raw) {
    if (!entry) return { error: 'query parameter "port" cannot be empty' };
    for (const p of entry.split(',')) {
      const port = parsePort(p.trim());
      if (port === null) return { error: `unable to parse "${entry}" as a port` };
      ports.push(port);
    }
  }
  return ports;
}

export interface WsPortForwardOptions {
  forward: PortForwarder;
  pod: string;
  uid: string;
}

export async function serveWebSocketPortForward(ws: WebSocket, protocol: ChannelProtocol, ports: number[], o: WsPortForwardOptions): Promise<void> {
  const conn = new ChannelConnection(ws, protocol, ports.map((_, i) => 2 * i));
  await Promise.all(
    ports.map(async (port, i) => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16LE(port);
      await conn.send(2 * i, prefix);
      await conn.send(2 * i + 1, prefix);
      const data = channelDuplex(conn, 2 * i);
      try {
        await o.forward(port, data);
      } catch (err) {
        await conn.send(2 * i + 1, Buffer.from(forwardErrorMessage(port, o.pod, o.uid, err)));
      }
    }),
  );
  conn.close();
  await conn.closed;
}

/** Channel `ch` as a Duplex: reads what the client sends on it, writes go to it. */
function channelDuplex(conn: ChannelConnection, ch: number): Duplex {
  const input = conn.input(ch);
  const d = new Duplex({
    read() {
      input.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      conn.send(ch, chunk).then(() => cb(), cb);
    },
  });
  input.on('data', (c: Buffer) => {
    if (!d.push(c)) input.pause();
  });
  input.on('end', () => d.push(null));
  return d;
}
