// What both port-forward transports call for each forwarded connection.
import type { Duplex } from 'node:stream';

/** Connects `stream` to `port` in the pod; resolves when the connection is over. */
export type PortForwarder = (port: number, stream: Duplex) => Promise<void>;

/** The text written on a connection's error stream when forwarding fails (as the kubelet words it). */
export function forwardErrorMessage(port: number, pod: string, uid: string, err: unknown): string {
  return `error forwarding port ${port} to pod ${pod}, uid ${uid}: ${(err as Error)?.message ?? String(err)}`;
}

/** Parses a port (1–65535); null if it is not one. */
export function parsePort(s: string): number | null {
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : null;
}
