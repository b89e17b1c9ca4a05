// Test helpers: a PodObjects backed by plain lists.
import type { ConfigMap, Secret, Service } from 'kubernetes-types/core/v1.js';
import type { PodObjects } from './pod-objects.js';

export function memoryObjects(init: { configMaps?: ConfigMap[]; secrets?: Secret[]; services?: Service[] } = {}): PodObjects & {
  configMaps: ConfigMap[];
  secrets: Secret[];
  services: (ns: string) => Promise<Service[]>;
} {
  const configMaps = init.configMaps ?? [];
  const secrets = init.secrets ?? [];
  const services = init.services ?? [];
  const find = <T extends { metadata?: { namespace?: string; name?: string } }>(list: T[], ns: string, name: string) =>
    list.find((o) => o.metadata?.namespace === ns && o.metadata?.name === name);
  return {
    configMaps,
    secrets,
    configMap: async (ns, name) => find(configMaps, ns, name),
    secret: async (ns, name) => find(secrets, ns, name),
    services: async (ns) => services.filter((s) => s.metadata?.namespace === ns),
  };
}

export const b64 = (s: string): string => Buffer.from(s).toString('base64');
