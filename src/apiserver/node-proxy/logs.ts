// GET /api/v1/namespaces/NS/pods/NAME/log: validate the options, find the container and its node,
// then stream the kubelet's /containerLogs answer through (with follow, until either side ends).
import type { Writable } from 'node:stream';
import { errors } from '../../api/errors.js';
import { writeStatusError } from '../http/respond.js';
import type { Scope } from '../handlers/scope.js';
import type { KubeletClient } from './kubelet-client.js';
import { kubeletError, readErrorBody } from './kubelet-errors.js';
import { kubeletLogQuery, parseLogOptions } from './log-options.js';
import { resolveContainer, type PodLike } from './pod-target.js';

export async function handleLog(scope: Scope, kubelet: KubeletClient): Promise<void> {
  const { info, req, res } = scope;
  if (info.verb !== 'get') throw errors.methodNotSupported('', 'pods/log', info.verb);
  const opts = parseLogOptions(scope.query, info.name);
  const pod = (await scope.rstore.get(info.namespace, info.name)).obj as PodLike;
  const container = resolveContainer(pod, opts.container);
  const node = pod.spec?.nodeName;
  if (!node) {
    // Not scheduled yet: upstream streams nothing (204 No Content).
    res.writeHead(204);
    res.end();
    return;
  }
  const abort = new AbortController();
  const onClose = () => abort.abort();
  res.on('close', onClose);
  try {
    const e = encodeURIComponent;
    const query = kubeletLogQuery(opts);
    const upstream = await kubelet.request(node, {
      path: `/containerLogs/${e(info.namespace)}/${e(info.name)}/${e(container)}${query ? `?${query}` : ''}`,
      signal: abort.signal,
    });
    const code = upstream.statusCode ?? 500;
    if (code < 200 || code > 206) {
      const err = kubeletError(code, await readErrorBody(upstream), 'pods/log', info.name);
      writeStatusError(req, res, err);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    const out = res as unknown as Writable;
    await new Promise<void>((resolve) => {
      upstream.on('data', (chunk: Buffer) => {
        // Backpressure: pause the kubelet while the client is slow.
        if (!out.write(chunk)) {
          upstream.pause();
          out.once('drain', () => upstream.resume());
        }
      });
      upstream.on('end', () => resolve());
      upstream.on('error', () => resolve());
      upstream.on('close', () => resolve());
    });
    res.end();
  } catch (err) {
    if (abort.signal.aborted) return; // the client went away
    throw err;
  } finally {
    res.off('close', onClose);
  }
}
