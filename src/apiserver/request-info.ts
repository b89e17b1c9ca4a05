// Turns a request path + method into what it asks for, as kube-apiserver's RequestInfoFactory
// does: /api/v1/namespaces/ns/pods/name/status → {verb: get, resource: pods, subresource: status…}.

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection (or the lower-case method for non-resource requests). */
  verb: string;
  apiPrefix: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path parts after the subresource (proxy paths). */
  rest: string[];
}

const SPECIAL_VERBS = new Set(['proxy', 'watch']);

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', group: '', version: '',
    namespace: '', resource: '', subresource: '', name: '', rest: [],
  };
  let parts = path.split('/').filter((p, i) => i > 0 || p !== '');
  if (parts[0] === '') parts = parts.slice(1);
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  if (parts[0] !== 'api' && parts[0] !== 'apis') return info;
  info.apiPrefix = parts[0];
  parts = parts.slice(1);
  if (info.apiPrefix === 'apis') {
    if (parts.length < 2) return info; // /apis, /apis/<group>: discovery
    info.group = parts[0];
    parts = parts.slice(1);
  } else if (parts.length < 1) {
    return info;
  }
  info.version = parts[0];
  parts = parts.slice(1);
  if (parts.length === 0) return info; // /api/v1, /apis/g/v: discovery
  info.isResourceRequest = true;

  // Deprecated /watch/ and /proxy/ path prefixes.
  if (SPECIAL_VERBS.has(parts[0])) {
    if (parts.length < 2) {
      info.isResourceRequest = false;
      return info;
    }
    info.verb = parts[0];
    parts = parts.slice(1);
  } else {
    info.verb = ({ post: 'create', get: 'get', head: 'get', put: 'update', patch: 'patch', delete: 'delete' } as Record<string, string>)[info.verb] ?? info.verb;
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1];
      // /namespaces/<name> and /namespaces/<name>/{status,finalize} address the namespace itself.
      if (parts.length > 2 && !(parts.length === 3 && (parts[2] === 'status' || parts[2] === 'finalize'))) {
        parts = parts.slice(2);
      } else {
        info.namespace = '';
        info.resource = 'namespaces';
        info.name = parts[1];
        info.subresource = parts[2] ?? '';
        finishVerb(info, query);
        // Keep namespace for namespace-scoped authorization semantics as upstream does.
        info.namespace = parts[1];
        return info;
      }
    }
  }
  info.resource = parts[0] ?? '';
  info.name = parts[1] ?? '';
  info.subresource = parts[2] ?? '';
  info.rest = parts.slice(3);
  finishVerb(info, query);
  return info;
}

function finishVerb(info: RequestInfo, query: URLSearchParams): void {
  if (!info.name && info.verb === 'get') info.verb = 'list';
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  const watch = query.get('watch');
  if ((info.verb === 'list' || info.verb === 'get') && watch && watch !== '0' && watch !== 'false') info.verb = 'watch';
  if (info.verb === 'watch' && info.name) {
    // /watch/.../name: upstream turns it into a watch with a name field selector.
  }
}
