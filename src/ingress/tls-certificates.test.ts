import { describe, expect, it } from 'vitest';
import type { Ingress } from 'kubernetes-types/networking/v1.js';
import { secretsFor, tlsEntries } from './tls-certificates.js';

const ing = (name: string, created: string, tls: NonNullable<Ingress['spec']>['tls']): Ingress => ({ metadata: { name, namespace: 'ns', creationTimestamp: created }, spec: { tls } });

describe('secretsFor', () => {
  const entries = tlsEntries([
    ing('young', '2025-02-01T00:00:00Z', [{ hosts: ['a.example.com'], secretName: 'young-a' }]),
    ing('old', '2025-01-01T00:00:00Z', [
      { hosts: ['*.example.com'], secretName: 'wild' },
      { hosts: ['a.example.com', 'B.example.com'], secretName: 'old-ab' },
      { secretName: 'any' },
    ]),
  ]);
  it.each([
    ['a.example.com', ['ns/old-ab', 'ns/young-a', 'ns/wild', 'ns/any']], // precise (older first), then wildcard, then host-less
    ['b.example.com', ['ns/old-ab', 'ns/wild', 'ns/any']],
    ['c.example.com', ['ns/wild', 'ns/any']],
    ['x.c.example.com', ['ns/any']], // the wildcard covers one label only
    [undefined, ['ns/any']],
  ])('%s → %j', (name, want) => {
    expect(secretsFor(entries, name)).toEqual(want);
  });
});
