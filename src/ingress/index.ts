// The ingress controller (src/ingress): run by each node agent, serving the Ingresses of the
// IngressClass "k8ts" (the default class) over HTTP and HTTPS.
export { startIngressController, defaultIngressPorts, type IngressControllerOptions, type RunningIngressController } from './ingress-controller.js';
export { INGRESS_CLASS_NAME, INGRESS_CONTROLLER_NAME, DEFAULT_CLASS_ANNOTATION, k8tsIngressClass, ensureIngressClass } from './ingress-class.js';
export { buildRouteTable, lookupRoute, type RouteTable, type RouteMatch, type ServiceBackend } from './route-table.js';
export { pathMatches, hostMatches, normalizeHost } from './path-match.js';
