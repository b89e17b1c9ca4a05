// GET /containerLogs/{namespace}/{pod}/{container}: the container's log as text/plain, streamed in
// chunks so `follow` shows lines as they come; it stops when the client goes away.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../util/clock.js';
import { HostError, type KubeletHost } from './host.js';
import { parseLogQuery } from './log-query.js';
import { sendStatus } from './status-response.js';

export async function serveLogs(
  host: KubeletHost,
  clock: Clock,
  route: { namespace: string; pod: string; container: string },
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const parsed = parseLogQuery(query, clock.now());
  if ('error' in parsed) return sendStatus(res, 400, parsed.error);
  let target;
  try {
    target = await host.resolveContainer(route.namespace, route.pod, route.container, { previous: parsed.previous });
  } catch (err) {
    if (err instanceof HostError) return sendStatus(res, err.code, err.message, err.reason);
    throw err;
  }
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  req.socket.setNoDelay(true);
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.flushHeaders();
  try {
    await host.writeLogs(target, parsed.options, res, abort.signal);
    res.end();
  } catch (err) {
    if (abort.signal.aborted) return;
    // Headers are out: all we can do is cut the stream so the client sees it incomplete.
    res.destroy(err as Error);
  }
}
