// A watch as the client sees it: an async iterable of decoded events plus stop(). Decodes the
// newline-delimited JSON of a TransportStream (client-go's StreamWatcher); a line that does not
// decode ends the watch with an ERROR event, so the caller re-watches.
import type { Status } from '../api/errors.js';
import type { KubeObject } from './resource.js';
import type { TransportStream } from './transport.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  /** Only the object's kind, apiVersion and metadata.resourceVersion (and annotations) are set. */
  | { type: 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

export interface Watch<T> extends AsyncIterable<WatchEvent<T>> {
  /** Ends the watch: the iteration finishes and the connection is released. Idempotent. */
  stop(): void;
}

const TYPES = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

export function decodeWatch<T extends KubeObject>(stream: TransportStream): Watch<T> {
  let stopped = false;
  async function* events(): AsyncGenerator<WatchEvent<T>> {
    try {
      for await (const line of stream.lines) {
        if (stopped) return;
        let ev: { type?: unknown; object?: unknown };
        try {
          ev = JSON.parse(line) as typeof ev;
        } catch {
          yield { type: 'ERROR', object: decodeError(`unable to decode watch event: ${line.slice(0, 200)}`) };
          return;
        }
        if (typeof ev.type !== 'string' || !TYPES.has(ev.type) || typeof ev.object !== 'object' || ev.object === null) {
          yield { type: 'ERROR', object: decodeError(`unexpected watch event: ${line.slice(0, 200)}`) };
          return;
        }
        yield ev as WatchEvent<T>;
      }
    } catch (e) {
      // A broken connection ends the watch like a server-side close (the caller re-watches);
      // stop() closing the stream under us ends it quietly.
      if (!stopped && process.env.K8TS_CLIENT_DEBUG) console.error('watch stream ended with error:', e);
    } finally {
      stopped = true;
      stream.close();
    }
  }
  const it = events();
  return {
    [Symbol.asyncIterator]: () => it,
    stop() {
      if (stopped) return;
      stopped = true;
      stream.close();
    },
  };
}

function decodeError(message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError', message };
}
