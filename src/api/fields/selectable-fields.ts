// Per-kind field selector support, as kube-apiserver has it. Two upstream lists meet here and they
// are deliberately kept apart, because they differ:
//  1. which labels a request may use — the field label conversion funcs registered per
//     group/version/kind (pkg/apis/<group>/<version>/conversion.go). A kind without one accepts only
//     metadata.name and metadata.namespace. A rejected label is a 400 with the func's message.
//     Some labels are aliases rewritten to another attribute (pods' legacy spec.host →
//     spec.nodeName; events.k8s.io's regarding.* → involvedObject.*).
//  2. which attributes an object exposes for matching — the registry strategies' ToSelectableFields
//     (pkg/registry/.../strategy.go). An accepted label without an attribute reads as "" (pods'
//     status.podIPs), and an attribute without an accepted label is unreachable (apps/v1
//     ReplicaSet's status.replicas: apps/v1 registers no conversion func).
// Every object exposes metadata.name and metadata.namespace ("" for cluster-scoped kinds).
import { SelectorError } from '../selectors/errors.js';
import type { FieldSelector } from '../selectors/field-selector.js';

/** An object as JSON. */
export type KObject = Record<string, any> & { metadata?: Record<string, any> };

interface KindFields {
  /** Accepted label → the attribute it selects (the same name unless it is an alias). */
  readonly labels: Readonly<Record<string, string>>;
  /** Kind-specific attributes; metadata.name and metadata.namespace are added for every kind. */
  readonly attributes?: (obj: KObject) => Record<string, string>;
  /** The message rejecting a label (default: `field label not supported: <label>`). */
  readonly unsupported?: (label: string) => string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): string => String(typeof v === 'number' ? Math.trunc(v) : 0);
const bool = (v: unknown): string => (v === true ? 'true' : 'false');

/** `a`, `b` → {a: a, b: b}: labels that select the attribute of the same name. */
function same(...labels: string[]): Record<string, string> {
  return Object.fromEntries(labels.map((l) => [l, l]));
}

const NAME_AND_NAMESPACE = same('metadata.name', 'metadata.namespace');

/** The fallback for kinds without a conversion func (runtime.DefaultMetaV1FieldSelectorConversion). */
const METADATA_ONLY: KindFields = {
  labels: NAME_AND_NAMESPACE,
  unsupported: (label) => `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

function coreEventAttributes(e: KObject): Record<string, string> {
  const io = e.involvedObject ?? {};
  return {
    'involvedObject.kind': str(io.kind),
    'involvedObject.namespace': str(io.namespace),
    'involvedObject.name': str(io.name),
    'involvedObject.uid': str(io.uid),
    'involvedObject.apiVersion': str(io.apiVersion),
    'involvedObject.resourceVersion': str(io.resourceVersion),
    'involvedObject.fieldPath': str(io.fieldPath),
    reason: str(e.reason),
    reportingComponent: str(e.reportingComponent),
    source: str(e.source?.component) || str(e.reportingComponent),
    type: str(e.type),
  };
}

/** events.k8s.io/v1 objects carry regarding/reportingController/deprecatedSource instead. */
function eventsV1Attributes(e: KObject): Record<string, string> {
  if (e.involvedObject !== undefined || e.regarding === undefined) return coreEventAttributes(e);
  return coreEventAttributes({
    involvedObject: e.regarding,
    reason: e.reason,
    reportingComponent: e.reportingController,
    source: e.deprecatedSource,
    type: e.type,
  });
}

/** Keyed by `group/Kind` (`Kind` alone for the core group). */
const KINDS: Readonly<Record<string, KindFields>> = {
  Pod: {
    labels: {
      ...NAME_AND_NAMESPACE,
      ...same(
        'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork',
        'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName',
      ),
      'spec.host': 'spec.nodeName',
    },
    attributes: (p) => ({
      'spec.nodeName': str(p.spec?.nodeName),
      'spec.restartPolicy': str(p.spec?.restartPolicy),
      'spec.schedulerName': str(p.spec?.schedulerName),
      'spec.serviceAccountName': str(p.spec?.serviceAccountName),
      'spec.hostNetwork': bool(p.spec?.hostNetwork),
      'status.phase': str(p.status?.phase),
      // The first pod IP; status.podIPs is accepted but never set upstream, so it reads "".
      'status.podIP': str(p.status?.podIP) || str(p.status?.podIPs?.[0]?.ip),
      'status.nominatedNodeName': str(p.status?.nominatedNodeName),
    }),
  },
  Node: {
    labels: same('metadata.name', 'spec.unschedulable'),
    attributes: (n) => ({ 'spec.unschedulable': bool(n.spec?.unschedulable) }),
  },
  Namespace: {
    labels: same('metadata.name', 'status.phase'),
    attributes: (n) => ({ 'status.phase': str(n.status?.phase) }),
  },
  ReplicationController: {
    labels: { ...NAME_AND_NAMESPACE, ...same('status.replicas') },
    attributes: (rc) => ({ 'status.replicas': int(rc.status?.replicas) }),
  },
  Secret: {
    labels: { ...NAME_AND_NAMESPACE, ...same('type') },
    attributes: (s) => ({ type: str(s.type) }),
  },
  Service: {
    labels: { ...NAME_AND_NAMESPACE, ...same('spec.clusterIP', 'spec.type') },
    attributes: (s) => ({ 'spec.clusterIP': str(s.spec?.clusterIP) || str(s.spec?.clusterIPs?.[0]), 'spec.type': str(s.spec?.type) }),
  },
  Event: {
    labels: {
      ...NAME_AND_NAMESPACE,
      ...same(
        'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
        'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath',
        'reason', 'reportingComponent', 'source', 'type',
      ),
    },
    attributes: coreEventAttributes,
  },
  'events.k8s.io/Event': {
    labels: {
      ...NAME_AND_NAMESPACE,
      ...same('reason', 'source', 'type'),
      'regarding.kind': 'involvedObject.kind',
      'regarding.namespace': 'involvedObject.namespace',
      'regarding.name': 'involvedObject.name',
      'regarding.uid': 'involvedObject.uid',
      'regarding.apiVersion': 'involvedObject.apiVersion',
      'regarding.resourceVersion': 'involvedObject.resourceVersion',
      'regarding.fieldPath': 'involvedObject.fieldPath',
      reportingController: 'reportingComponent',
    },
    attributes: eventsV1Attributes,
  },
  // apps/v1 registers no conversion func: only metadata is selectable, though the strategy
  // exposes status.replicas.
  'apps/ReplicaSet': {
    ...METADATA_ONLY,
    attributes: (rs) => ({ 'status.replicas': int(rs.status?.replicas) }),
  },
  'batch/Job': {
    labels: { ...NAME_AND_NAMESPACE, ...same('status.successful') },
    attributes: (j) => ({ 'status.successful': int(j.status?.succeeded) }),
    unsupported: (label) => `field label "${label}" not supported for Job`,
  },
  'certificates.k8s.io/CertificateSigningRequest': {
    labels: same('metadata.name', 'spec.signerName'),
    attributes: (c) => ({ 'spec.signerName': str(c.spec?.signerName) }),
  },
  'certificates.k8s.io/ClusterTrustBundle': {
    labels: same('metadata.name', 'spec.signerName'),
    attributes: (c) => ({ 'spec.signerName': str(c.spec?.signerName) }),
  },
};

function kindFields(group: string, kind: string): KindFields {
  const g = group === 'core' ? '' : group;
  return KINDS[g ? `${g}/${kind}` : kind] ?? METADATA_ONLY;
}

/** The attributes an object exposes to field selectors (label → value). */
export function fieldAttributes(group: string, kind: string, obj: KObject): Record<string, string> {
  const spec = kindFields(group, kind);
  return {
    'metadata.name': str(obj.metadata?.name),
    'metadata.namespace': str(obj.metadata?.namespace),
    ...(spec.attributes?.(obj) ?? {}),
  };
}

/** The labels a field selector on this kind may use (aliases included). */
export function supportedFields(group: string, kind: string): Set<string> {
  return new Set(Object.keys(kindFields(group, kind).labels));
}

/**
 * The attribute a label selects on this kind (itself, or the target of an alias).
 * Throws SelectorError (400) with upstream's message when the kind does not support it.
 */
export function convertFieldLabel(group: string, kind: string, label: string): string {
  const spec = kindFields(group, kind);
  const target = Object.prototype.hasOwnProperty.call(spec.labels, label) ? spec.labels[label] : undefined;
  if (target === undefined) throw new SelectorError((spec.unsupported ?? ((l: string) => `field label not supported: ${l}`))(label));
  return target;
}

/**
 * Checks every requirement of a parsed selector against the kind and rewrites aliases, as the
 * apiserver does before listing or watching. Throws SelectorError on the first unsupported label.
 */
export function checkFieldSelector(group: string, kind: string, selector: FieldSelector): FieldSelector {
  return selector.transform((label, value) => [convertFieldLabel(group, kind, label), value]);
}
