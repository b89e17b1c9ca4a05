// The root CA certificate publisher ("root-ca-cert-publisher", as upstream names it): a
// `kube-root-ca.crt` ConfigMap holding the cluster CA in every namespace.
import type { ControllerFactory } from '../types.js';
import { RootCACertPublisher, type PublisherOptions } from './publisher.js';

export {
  RootCACertPublisher, desiredConfigMap, rootCAData, ROOT_CA_CONFIGMAP_NAME, DESCRIPTION_ANNOTATION, DESCRIPTION, type PublisherOptions,
} from './publisher.js';

/** The publisher's factory for a cluster whose CA bundle is `caPem`. */
export function rootCaPublisherFactory(caPem: string, opts: PublisherOptions = {}): ControllerFactory {
  return (ctx) => new RootCACertPublisher(ctx, caPem, opts);
}
