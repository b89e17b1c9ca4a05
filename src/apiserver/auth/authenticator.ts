// x509 client-certificate authentication: CN is the user, each O a group. Requests without a
// verified certificate are anonymous, which only the public health and version paths accept.
import type { TLSSocket } from 'node:tls';
import type { Req, UserInfo } from '../http/types.js';

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

function tlsSocket(req: Req): TLSSocket | undefined {
  // HTTP/2 requests expose a proxy as req.socket; the session's socket is the real one.
  const r = req as Req & { stream?: { session?: { socket?: TLSSocket } } };
  return (r.stream?.session?.socket ?? (req.socket as TLSSocket | undefined)) || undefined;
}

/** Identity per TLS connection: the peer certificate cannot change on it, so it is read once. */
const identities = new WeakMap<TLSSocket, UserInfo>();

/** Marks an in-process request (see in-process.ts) with the component's own identity. */
export const IN_PROCESS_USER = Symbol('k8ts.inProcessUser');

export function authenticate(req: Req): UserInfo {
  const own = (req as unknown as { [IN_PROCESS_USER]?: UserInfo })[IN_PROCESS_USER];
  if (own) return own;
  const sock = tlsSocket(req);
  if (!sock) return ANONYMOUS;
  let user = identities.get(sock);
  if (!user) {
    user = identify(sock);
    identities.set(sock, user);
  }
  return user;
}

function identify(sock: TLSSocket): UserInfo {
  if (typeof sock.getPeerCertificate !== 'function' || !sock.authorized) return ANONYMOUS;
  const cert = sock.getPeerCertificate();
  if (!cert || !cert.subject) return ANONYMOUS;
  const cn = cert.subject.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return ANONYMOUS;
  const o = cert.subject.O as string | string[] | undefined;
  const orgs = o === undefined ? [] : Array.isArray(o) ? o : [o];
  return { name, groups: [...orgs, 'system:authenticated'] };
}
