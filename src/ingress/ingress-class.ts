// Which Ingresses this controller serves. An Ingress is ours when its ingressClassName names an
// IngressClass whose controller is k8ts.io/ingress (or is "k8ts" itself, before the class shows
// in the cache), when the deprecated kubernetes.io/ingress.class annotation says so, or when it
// names no class and one of our classes is marked default.
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1.js';
import { isAlreadyExists, isNotFound, resources, type RestClient } from '../client/index.js';

export const INGRESS_CLASS_NAME = 'k8ts';
export const INGRESS_CONTROLLER_NAME = 'k8ts.io/ingress';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export function k8tsIngressClass(): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: INGRESS_CLASS_NAME, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    spec: { controller: INGRESS_CONTROLLER_NAME },
  };
}

/** Creates the k8ts IngressClass unless it exists (an existing one is left as the user made it). */
export async function ensureIngressClass(client: RestClient): Promise<void> {
  const classes = client.resource(resources.ingressClasses);
  try {
    await classes.get(INGRESS_CLASS_NAME);
    return;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  try {
    await classes.create(k8tsIngressClass());
  } catch (e) {
    if (!isAlreadyExists(e)) throw e; // another agent was quicker
  }
}

export interface ClassView {
  /** Names of the IngressClasses this controller implements. */
  ours: Set<string>;
  /** One of ours is marked default. */
  defaultIsOurs: boolean;
}

export function classView(classes: readonly IngressClass[]): ClassView {
  const ours = new Set<string>([INGRESS_CLASS_NAME]);
  let defaultIsOurs = false;
  for (const c of classes) {
    const name = c.metadata?.name ?? '';
    if (c.spec?.controller !== INGRESS_CONTROLLER_NAME) {
      if (name === INGRESS_CLASS_NAME) ours.delete(name); // someone else's class by that name
      continue;
    }
    ours.add(name);
    if (c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true') defaultIsOurs = true;
  }
  return { ours, defaultIsOurs };
}

export function isServed(ing: Ingress, view: ClassView): boolean {
  const className = ing.spec?.ingressClassName;
  if (className) return view.ours.has(className);
  const legacy = ing.metadata?.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (legacy) return view.ours.has(legacy);
  return view.defaultIsOurs;
}
