// Port forwarding for host-network pods: the pod's port is a host port, so a stream is simply
// joined to a TCP connection to localhost (IPv4, then IPv6), then the node address.
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

function dial(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    sock.once('connect', () => {
      sock.off('error', reject);
      resolve(sock);
    });
    sock.once('error', reject);
  });
}

/** Resolves once the connection is closed (by either side); rejects when nothing listens on `port`. */
export async function forwardPort(hosts: string[], port: number, stream: Duplex, what: string): Promise<void> {
  let sock: Socket | undefined;
  const errors: string[] = [];
  for (const host of hosts) {
    try {
      sock = await dial(host, port);
      break;
    } catch (err) {
      errors.push(`${host}: ${(err as Error).message}`);
    }
  }
  if (!sock) throw new Error(`failed to connect to localhost:${port} in ${what}: ${errors.join('; ')}`);
  const s = sock;
  await new Promise<void>((resolve) => {
    s.once('close', () => {
      if (!stream.writableEnded) stream.end();
      resolve();
    });
    stream.once('close', () => s.destroy());
    s.on('error', () => s.destroy());
    stream.on('error', () => s.destroy());
    stream.pipe(s);
    s.pipe(stream);
  });
}
