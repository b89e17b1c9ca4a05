// Port-forward over SPDY (portforward.k8s.io): per forwarded connection the client opens an error
// stream and a data stream, both with headers `streamType`, `port` and `requestID`. Once a pair is
// complete we connect the data stream to the port; a failure is written as text on the error stream.
// Both streams are then half-closed, which the client reads as the end of that connection.
import type { Duplex } from 'node:stream';
import { headerValue, SpdyConnection, type SpdyStream } from '../spdy/index.js';
import { forwardErrorMessage, parsePort, type PortForwarder } from './forwarder.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

export interface SpdyPortForwardOptions {
  forward: PortForwarder;
  /** For error messages: the pod's name and uid. */
  pod: string;
  uid: string;
  /** How long the second stream of a pair may lag behind the first. */
  streamCreationTimeoutMs: number;
}

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer?: ReturnType<typeof setTimeout>;
}

/** Serves port-forward on an upgraded transport until the client goes away. */
export function serveSpdyPortForward(transport: Duplex, o: SpdyPortForwardOptions): SpdyConnection {
  const pairs = new Map<string, Pair>();
  const conn = new SpdyConnection(transport, {
    server: true,
    onStream: (stream) => {
      const problem = validate(stream);
      if (problem) {
        stream.reset();
        return;
      }
      void stream.accept();
      const id = requestId(stream);
      let pair = pairs.get(id);
      if (!pair) {
        pair = {};
        pairs.set(id, pair);
        const p = pair;
        p.timer = setTimeout(() => {
          pairs.delete(id);
          p.error?.end(`(conn=spdy, request=${id}) timed out waiting for streams`);
          p.data?.end();
        }, o.streamCreationTimeoutMs);
        p.timer.unref?.();
      }
      const type = headerValue(stream.headers, 'streamtype');
      if ((type === 'data' && pair.data) || (type === 'error' && pair.error)) {
        const msg = `error processing stream for request ${id}: ${type} stream already assigned`;
        (pair.error ?? stream).write(msg);
        return;
      }
      if (type === 'data') pair.data = stream;
      else pair.error = stream;
      if (pair.data && pair.error) {
        clearTimeout(pair.timer);
        pairs.delete(id);
        void run(pair.data, pair.error, o);
      }
    },
  });
  conn.once('close', () => {
    for (const p of pairs.values()) clearTimeout(p.timer);
  });
  return conn;
}

async function run(data: SpdyStream, error: SpdyStream, o: SpdyPortForwardOptions): Promise<void> {
  const port = parsePort(headerValue(data.headers, 'port'))!;
  try {
    await o.forward(port, data);
  } catch (err) {
    if (!error.writableEnded) error.write(forwardErrorMessage(port, o.pod, o.uid, err));
  } finally {
    if (!data.writableEnded) data.end();
    if (!error.writableEnded) error.end();
  }
}

function validate(stream: SpdyStream): string | null {
  const port = headerValue(stream.headers, 'port');
  if (!port) return '"port" header is required';
  if (parsePort(port) === null) return `unable to parse "${port}" as a port`;
  const type = headerValue(stream.headers, 'streamtype');
  if (!type) return '"streamType" header is required';
  if (type !== 'data' && type !== 'error') return `invalid stream type "${type}"`;
  return null;
}

/** The pair key; old clients send no requestID, and their pairs have consecutive odd stream ids. */
function requestId(stream: SpdyStream): string {
  const id = headerValue(stream.headers, 'requestid');
  if (id) return id;
  return String(headerValue(stream.headers, 'streamtype') === 'error' ? stream.id : stream.id - 2);
}
