import { describe, expect, it } from 'vitest';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1.js';
import { classView, isServed, k8tsIngressClass } from './ingress-class.js';

const cls = (name: string, controller: string, isDefault = false): IngressClass => ({
  metadata: { name, annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {} },
  spec: { controller },
});
const ing = (className?: string, legacy?: string): Ingress => ({
  metadata: { name: 'i', namespace: 'n', annotations: legacy ? { 'kubernetes.io/ingress.class': legacy } : {} },
  spec: { ingressClassName: className, defaultBackend: { service: { name: 's', port: { number: 80 } } } },
});

describe('isServed', () => {
  it('serves our classes, and no class when ours is the default', () => {
    const view = classView([k8tsIngressClass(), cls('mine-too', 'k8ts.io/ingress'), cls('nginx', 'k8s.io/ingress-nginx')]);
    expect(isServed(ing('k8ts'), view)).toBe(true);
    expect(isServed(ing('mine-too'), view)).toBe(true);
    expect(isServed(ing('nginx'), view)).toBe(false);
    expect(isServed(ing(), view)).toBe(true);
    expect(isServed(ing(undefined, 'k8ts'), view)).toBe(true);
    expect(isServed(ing(undefined, 'nginx'), view)).toBe(false);
  });
  it('leaves class-less Ingresses alone when the default class is not ours', () => {
    const view = classView([cls('k8ts', 'k8ts.io/ingress'), cls('nginx', 'k8s.io/ingress-nginx', true)]);
    expect(isServed(ing(), view)).toBe(false);
    expect(isServed(ing('k8ts'), view)).toBe(true);
  });
  it('serves "k8ts" before the class shows in the cache, but not someone else\'s class of that name', () => {
    expect(isServed(ing('k8ts'), classView([]))).toBe(true);
    expect(isServed(ing('k8ts'), classView([cls('k8ts', 'example.com/other')]))).toBe(false);
  });
});
