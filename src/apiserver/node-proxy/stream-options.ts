// The options of exec, attach and portforward (PodExecOptions, PodAttachOptions,
// PodPortForwardOptions) read from the request query and re-encoded for the kubelet as upstream's
// streamParams does: stdin→input, stdout→output, stderr→error, tty, command repeated, ports→port.
import { errors } from '../../api/errors.js';
import { queryBool } from './query-values.js';

export type StreamKind = 'exec' | 'attach' | 'portforward';

export interface StreamOptions {
  container: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  command: string[];
  ports: number[];
}

export function parseStreamOptions(kind: StreamKind, query: URLSearchParams): StreamOptions {
  const ports: number[] = [];
  if (kind === 'portforward') {
    for (const v of query.getAll('ports')) {
      const n = /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
      ports.push(n);
    }
  }
  return {
    container: kind === 'portforward' ? '' : (query.get('container') ?? ''),
    stdin: queryBool(query, 'stdin'),
    stdout: queryBool(query, 'stdout'),
    stderr: queryBool(query, 'stderr'),
    tty: queryBool(query, 'tty'),
    command: kind === 'exec' ? query.getAll('command') : [],
    ports,
  };
}

/** The kubelet's query, keys sorted as Go's url.Values.Encode() sorts them. */
export function kubeletStreamQuery(kind: StreamKind, o: StreamOptions): string {
  const q = new URLSearchParams();
  if (kind === 'portforward') {
    if (o.ports.length) q.append('port', o.ports.join(','));
    return q.toString();
  }
  if (kind === 'exec') for (const c of o.command) q.append('command', c);
  if (o.stderr) q.append('error', '1');
  if (o.stdin) q.append('input', '1');
  if (o.stdout) q.append('output', '1');
  if (o.tty) q.append('tty', '1');
  return q.toString();
}

/** The kubelet path of a stream request. */
export function kubeletStreamPath(kind: StreamKind, namespace: string, pod: string, container: string): string {
  const e = encodeURIComponent;
  if (kind === 'portforward') return `/portForward/${e(namespace)}/${e(pod)}`;
  return `/${kind}/${e(namespace)}/${e(pod)}/${e(container)}`;
}
