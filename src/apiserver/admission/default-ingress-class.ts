// DefaultIngressClass (plugin/pkg/admission/network/defaultingressclass): an Ingress created
// without spec.ingressClassName (and without the legacy kubernetes.io/ingress.class annotation)
// gets the IngressClass marked `ingressclass.kubernetes.io/is-default-class: "true"`. With several
// defaults the newest wins, as upstream (since 1.30); with none the Ingress is left as it is.
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

const DEFAULT_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_ANNOTATION = 'kubernetes.io/ingress.class';

interface ClassLike {
  metadata?: { name?: string; creationTimestamp?: string; annotations?: Record<string, string> };
}

export class DefaultIngressClass implements AdmissionPlugin {
  readonly name = 'DefaultIngressClass';

  constructor(private readonly classes: () => Promise<ClassLike[]>) {}

  async admit(a: AdmissionAttributes): Promise<void> {
    if (a.operation !== 'CREATE' || a.subresource) return;
    if (a.resource.group !== 'networking.k8s.io' || a.resource.resource !== 'ingresses') return;
    const ing = a.object as { metadata?: { annotations?: Record<string, string> }; spec?: { ingressClassName?: string } } | undefined;
    if (!ing || ing.spec?.ingressClassName || ing.metadata?.annotations?.[LEGACY_ANNOTATION] !== undefined) return;
    const defaults = (await this.classes()).filter((c) => c.metadata?.annotations?.[DEFAULT_ANNOTATION] === 'true');
    if (!defaults.length) return;
    defaults.sort((x, y) => (y.metadata?.creationTimestamp ?? '').localeCompare(x.metadata?.creationTimestamp ?? '') || (x.metadata?.name ?? '').localeCompare(y.metadata?.name ?? ''));
    ing.spec = { ...ing.spec, ingressClassName: defaults[0].metadata!.name };
  }
}
