// Client-certificate authentication, as kube-apiserver's x509 authenticator does it: the user name
// is the subject CommonName, the groups are the subject Organizations (every O, in order).

import type { DetailedPeerCertificate, PeerCertificate, TLSSocket } from 'node:tls';

export interface ClientIdentity {
  name: string;
  groups: string[];
}

function values(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * The identity in a peer certificate as Node reports it (`socket.getPeerCertificate()`): CN → name,
 * every O → groups. Node gives a repeated attribute as a string[] and a single one as a string. With
 * several CNs the last wins, as in Go's pkix.Name. Returns null when there is no certificate or no CN
 * (upstream treats that as "not authenticated by this method").
 *
 * This does NOT check that the certificate was verified: with `rejectUnauthorized: false` a client may
 * present any self-made certificate. Use identityFromSocket(), or check `socket.authorized` first.
 */
export function parseClientIdentity(peerCert: PeerCertificate | DetailedPeerCertificate | null | undefined): ClientIdentity | null {
  const subject = peerCert?.subject as unknown as Record<string, unknown> | undefined;
  if (!subject) return null;
  const cns = values(subject.CN);
  const name = cns[cns.length - 1];
  if (!name) return null;
  return { name, groups: values(subject.O) };
}

/**
 * The authenticated client-certificate identity of a TLS connection: null unless the client presented
 * a certificate that the server verified against its `ca` (socket.authorized) — OpenSSL also checks the
 * certificate allows clientAuth and is within its validity period.
 */
export function identityFromSocket(socket: TLSSocket): ClientIdentity | null {
  if (!socket.authorized) return null;
  return parseClientIdentity(socket.getPeerCertificate());
}
