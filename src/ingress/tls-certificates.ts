// Certificates by SNI from the served Ingresses' spec.tls. Picking is pure: a precise host first,
// then a "*.suffix" host, then a tls entry without hosts (it stands for "any host this controller
// serves"); among equals the older Ingress wins. Secrets in the Ingress's namespace must carry
// tls.crt and tls.key; contexts are cached per Secret resourceVersion, and a Secret that does not
// load as a key pair is skipped (the fallback certificate answers instead).
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Ingress } from 'kubernetes-types/networking/v1.js';
import type { Secret } from 'kubernetes-types/core/v1.js';
import { byAge } from './route-table.js';
import { hostMatches, isWildcardHost } from './path-match.js';

export interface TlsEntry {
  hosts: string[];
  /** `namespace/name` of the Secret. */
  secret: string;
}

/** The served Ingresses' tls entries, oldest Ingress first. */
export function tlsEntries(ingresses: readonly Ingress[]): TlsEntry[] {
  const out: TlsEntry[] = [];
  for (const ing of [...ingresses].sort(byAge)) {
    for (const t of ing.spec?.tls ?? []) {
      if (!t.secretName) continue;
      out.push({ hosts: (t.hosts ?? []).map((h) => h.toLowerCase()), secret: `${ing.metadata?.namespace}/${t.secretName}` });
    }
  }
  return out;
}

/** Secrets to try for a server name, best first (no server name: only host-less entries). */
export function secretsFor(entries: readonly TlsEntry[], servername: string | undefined): string[] {
  const name = (servername ?? '').toLowerCase();
  const exact: string[] = [];
  const wild: string[] = [];
  const any: string[] = [];
  for (const e of entries) {
    if (!e.hosts.length) any.push(e.secret);
    else if (name && e.hosts.some((h) => !isWildcardHost(h) && h === name)) exact.push(e.secret);
    else if (name && e.hosts.some((h) => isWildcardHost(h) && hostMatches(h, name))) wild.push(e.secret);
  }
  return [...new Set([...exact, ...wild, ...any])];
}

/** Secure contexts of TLS Secrets, rebuilt when a Secret's resourceVersion changes. */
export class SecureContextCache {
  /** Secret key → its last context (or null when it did not load), at that resourceVersion. */
  private readonly cache = new Map<string, { rv: string; ctx: SecureContext | null }>();

  constructor(private readonly onError: (secret: string, err: unknown) => void = () => {}) {}

  get(key: string, secret: Secret | undefined): SecureContext | undefined {
    if (!secret) return undefined;
    const rv = secret.metadata?.resourceVersion ?? '';
    const hit = this.cache.get(key);
    if (hit && hit.rv === rv) return hit.ctx ?? undefined;
    let ctx: SecureContext | null = null;
    const crt = secret.data?.['tls.crt'];
    const k = secret.data?.['tls.key'];
    if (crt && k) {
      try {
        ctx = createSecureContext({ cert: Buffer.from(crt, 'base64'), key: Buffer.from(k, 'base64') });
      } catch (e) {
        this.onError(key, e);
      }
    } else {
      this.onError(key, new Error('secret has no tls.crt or tls.key'));
    }
    this.cache.set(key, { rv, ctx });
    return ctx ?? undefined;
  }

  /** Forgets Secrets no longer referenced. */
  retain(keys: ReadonlySet<string>): void {
    for (const k of this.cache.keys()) if (!keys.has(k)) this.cache.delete(k);
  }
}
