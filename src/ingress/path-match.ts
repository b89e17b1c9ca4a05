// Ingress path and host matching (networking.k8s.io/v1 IngressRule and HTTPIngressPath), pure.
//  - Exact: the request path equals the rule's path, case-sensitively.
//  - Prefix: element-wise over '/'-separated elements, so /foo matches /foo, /foo/ and /foo/bar
//    but not /foobar; a trailing slash on either side is ignored; "/" matches everything.
//  - ImplementationSpecific: k8ts treats it as Prefix (an empty path then matches everything).
//  - Hosts: a precise host equals the request host; "*.foo.com" matches exactly one more DNS label
//    (bar.foo.com, not foo.com nor baz.bar.foo.com). Matching ignores case and the port.

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** Path elements without empty ones, so "/foo/" and "/foo" are both ["foo"]. */
function elements(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

export function pathMatches(type: PathType | string, rulePath: string, requestPath: string): boolean {
  if (type === 'Exact') return rulePath === requestPath;
  const want = elements(rulePath);
  const got = elements(requestPath);
  if (want.length > got.length) return false;
  return want.every((e, i) => e === got[i]);
}

/** The length that ranks a matching path: longer wins; a Prefix's trailing slash does not count. */
export function pathRank(type: PathType | string, rulePath: string): number {
  if (type === 'Exact') return rulePath.length;
  const trimmed = rulePath.replace(/\/+$/, '');
  return trimmed.length;
}

/** The host part of a Host header or SNI name: lower case, no port, no IPv6 brackets, no trailing dot. */
export function normalizeHost(hostHeader: string | undefined): string {
  let h = (hostHeader ?? '').trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : h;
  }
  const colon = h.indexOf(':');
  if (colon >= 0 && h.indexOf(':', colon + 1) < 0) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

export function isWildcardHost(ruleHost: string): boolean {
  return ruleHost.startsWith('*.');
}

/** Whether a rule's host (precise or "*.suffix") matches a normalized request host. */
export function hostMatches(ruleHost: string, host: string): boolean {
  const rule = ruleHost.toLowerCase();
  if (!isWildcardHost(rule)) return rule === host;
  const dot = host.indexOf('.');
  if (dot <= 0) return false;
  return host.slice(dot) === rule.slice(1);
}
