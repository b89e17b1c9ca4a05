// Wiring: the client library's Transport on top of the API server's in-process requests, for
// components that run inside `k8ts server` as their own user.
import type { Transport, TransportRequest, StreamRequest } from '../client/transport.js';
import { splitLines } from '../client/transport.js';
import type { RunningApiServer } from '../apiserver/api-server.js';
import { readAll } from '../apiserver/in-process.js';
import type { UserInfo } from '../apiserver/http/types.js';

export function inProcessTransport(server: Pick<RunningApiServer, 'inProcess'>, user: UserInfo): Transport {
  return {
    async request(req: TransportRequest) {
      const r = await server.inProcess({ ...req, user });
      const body = await readAll(r.body);
      return { status: r.status, headers: r.headers, body };
    },
    async stream(req: StreamRequest) {
      const r = await server.inProcess({ ...req, user });
      return { status: r.status, headers: r.headers, lines: splitLines(r.body), close: r.close };
    },
  };
}
