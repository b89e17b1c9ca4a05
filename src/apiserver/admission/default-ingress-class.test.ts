import { describe, expect, it } from 'vitest';
import { DefaultIngressClass } from './default-ingress-class.js';
import type { AdmissionAttributes } from './types.js';

const attrs = (object: unknown, op: AdmissionAttributes['operation'] = 'CREATE'): AdmissionAttributes => ({
  operation: op, subresource: '', namespace: 'default', name: 'i', dryRun: false, user: { name: 'u', groups: [] },
  resource: { group: 'networking.k8s.io', resource: 'ingresses' } as AdmissionAttributes['resource'],
  object: object as AdmissionAttributes['object'],
});
const cls = (name: string, isDefault: boolean, created: string) => ({ metadata: { name, creationTimestamp: created, annotations: (isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {}) as Record<string, string> } });

describe('DefaultIngressClass', () => {
  it('sets the default class on a new Ingress without one; the newest default wins', async () => {
    const p = new DefaultIngressClass(async () => [cls('a', true, '2026-01-01T00:00:00Z'), cls('b', true, '2026-02-01T00:00:00Z'), cls('c', false, '2026-03-01T00:00:00Z')]);
    const ing = { metadata: { name: 'i' }, spec: {} };
    await p.admit(attrs(ing));
    expect(ing.spec).toEqual({ ingressClassName: 'b' });
  });

  it('leaves Ingresses with a class, a legacy annotation, on update, or when no class is default', async () => {
    const p = new DefaultIngressClass(async () => [cls('k8ts', true, '2026-01-01T00:00:00Z')]);
    const named = { spec: { ingressClassName: 'other' } };
    await p.admit(attrs(named));
    expect(named.spec.ingressClassName).toBe('other');
    const legacy = { metadata: { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }, spec: {} };
    await p.admit(attrs(legacy));
    expect(legacy.spec).toEqual({});
    const updated = { spec: {} };
    await p.admit(attrs(updated, 'UPDATE'));
    expect(updated.spec).toEqual({});
    const none = { spec: {} };
    await new DefaultIngressClass(async () => [cls('x', false, '2026-01-01T00:00:00Z')]).admit(attrs(none));
    expect(none.spec).toEqual({});
  });
});
