// The API objects the kubelet reads to build a container's environment and volumes. The kubelet
// backs this with informers; tests with plain maps. `undefined` means the object does not exist.
import type { ConfigMap, Secret, Service } from 'kubernetes-types/core/v1.js';

export interface TokenRequest {
  namespace: string;
  serviceAccountName: string;
  /** Empty means the API server's own audiences. */
  audiences: string[];
  expirationSeconds: number;
  boundPod: { name: string; uid: string };
}

export interface IssuedToken {
  token: string;
  /** RFC 3339. */
  expirationTimestamp: string;
}

export interface PodObjects {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  /** The services of one namespace. */
  services(namespace: string): Promise<Service[]>;
  /**
   * A bound service account token (TokenRequest). Callers refresh volumes periodically, so the
   * implementation should cache and only re-issue near expiry. Absent until tokens can be issued.
   */
  serviceAccountToken?(req: TokenRequest): Promise<IssuedToken>;
}
