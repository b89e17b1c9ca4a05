// The node server's URL space (upstream kubelet paths), parsed into a route. No I/O.

export type Route =
  | { kind: 'healthz' }
  | { kind: 'stats' }
  | { kind: 'metrics' }
  | { kind: 'logs'; namespace: string; pod: string; container: string }
  | { kind: 'exec' | 'attach'; namespace: string; pod: string; uid?: string; container: string }
  | { kind: 'portforward'; namespace: string; pod: string; uid?: string };

export function parseRoute(pathname: string): Route | null {
  const parts = pathname.split('/').filter((p) => p.length > 0).map((p) => decodeURIComponent(p));
  const [head, ...rest] = parts;
  switch (head) {
    case 'healthz':
      return rest.length === 0 ? { kind: 'healthz' } : null;
    case 'metrics':
      return rest.length === 0 ? { kind: 'metrics' } : null;
    case 'stats':
      return rest.length === 1 && rest[0] === 'summary' ? { kind: 'stats' } : null;
    case 'containerLogs':
      if (rest.length === 3) return { kind: 'logs', namespace: rest[0]!, pod: rest[1]!, container: rest[2]! };
      if (rest.length === 2) return { kind: 'logs', namespace: rest[0]!, pod: rest[1]!, container: '' };
      return null;
    case 'exec':
    case 'attach':
      if (rest.length === 3) return { kind: head, namespace: rest[0]!, pod: rest[1]!, container: rest[2]! };
      if (rest.length === 4) return { kind: head, namespace: rest[0]!, pod: rest[1]!, uid: rest[2]!, container: rest[3]! };
      return null;
    case 'portForward':
      if (rest.length === 2) return { kind: 'portforward', namespace: rest[0]!, pod: rest[1]! };
      if (rest.length === 3) return { kind: 'portforward', namespace: rest[0]!, pod: rest[1]!, uid: rest[2]! };
      return null;
    default:
      return null;
  }
}
