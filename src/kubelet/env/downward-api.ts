// Pod fields and container resources exposed through the downward API, in env vars (fieldRef,
// resourceFieldRef) and in downwardAPI/projected volume files, with upstream's values and errors
// (pkg/fieldpath, pkg/apis/core/pods ConvertDownwardAPIFieldLabel, pkg/api/v1/resource helpers).
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1.js';
import { isQualifiedName } from '../../api/validation/names.js';
import { parseQuantity, roundUpQuantity, type Quantity } from '../../util/quantity.js';

/** What the kubelet knows about where the pod runs; allocatable fills in unset limits. */
export interface NodeInfo {
  nodeName: string;
  hostIP: string;
  /** Defaults to [hostIP]. */
  hostIPs?: string[];
  podIP: string;
  podIPs: string[];
  allocatable: { cpu?: string; memory?: string; 'ephemeral-storage'?: string };
}

const FIELD_LABELS = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName',
  'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
]);

/** `metadata.labels['app']` → ['metadata.labels', 'app']. */
export function splitSubscriptedPath(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

function convertFieldLabel(version: string, label: string): string {
  if (version !== 'v1') throw new Error(`unsupported pod version: ${version}`);
  const sub = splitSubscriptedPath(label);
  if (sub) {
    if (sub[0] === 'metadata.annotations' || sub[0] === 'metadata.labels') return label;
    throw new Error(`field label does not support subscript: ${label}`);
  }
  if (label === 'spec.host') return 'spec.nodeName';
  if (FIELD_LABELS.has(label)) return label;
  throw new Error(`field label not supported: ${label}`);
}

/** Go's strconv.Quote, which FormatMap uses for values. */
export function goQuote(s: string): string {
  const named: Record<string, string> = {
    '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"',
  };
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (named[ch]) out += named[ch];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (ch === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/** `key="value"` lines in key order, as the downward API writes labels and annotations. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${goQuote(m![k]!)}`).join('\n');
}

/** upstream's ExtractFieldPathAsString: the metadata fields any object offers. */
export function extractFieldPath(pod: Pod, fieldPath: string): string {
  const meta = pod.metadata ?? {};
  const sub = splitSubscriptedPath(fieldPath);
  if (sub) {
    const [path, key] = sub;
    if (path === 'metadata.annotations' || path === 'metadata.labels') {
      const errs = isQualifiedName(path === 'metadata.annotations' ? key.toLowerCase() : key);
      if (errs.length) throw new Error(`invalid key subscript in ${fieldPath}: ${errs.join(';')}`);
      return (path === 'metadata.annotations' ? meta.annotations : meta.labels)?.[key] ?? '';
    }
    throw new Error(`fieldPath ${JSON.stringify(fieldPath)} does not support subscript`);
  }
  switch (fieldPath) {
    case 'metadata.annotations': return formatMap(meta.annotations);
    case 'metadata.labels': return formatMap(meta.labels);
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? '';
    case 'metadata.uid': return meta.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** The value of an env var's fieldRef (upstream's podFieldSelectorRuntimeValue). */
export function podFieldValue(pod: Pod, fs: ObjectFieldSelector, node: NodeInfo): string {
  const path = convertFieldLabel(fs.apiVersion || 'v1', fs.fieldPath);
  const podIP = node.podIPs[0] ?? node.podIP;
  switch (path) {
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': return (node.hostIPs ?? [node.hostIP])[0] ?? '';
    case 'status.hostIPs': return (node.hostIPs ?? [node.hostIP]).join(',');
    case 'status.podIP': return podIP;
    case 'status.podIPs': return node.podIPs.join(',');
  }
  return extractFieldPath(pod, path);
}

/** A downwardAPI volume file's fieldRef: only metadata, as validation allows there. */
export function volumeFieldValue(pod: Pod, fs: ObjectFieldSelector): string {
  return extractFieldPath(pod, fs.fieldPath);
}

/** Quantity.ScaledValue: the amount in units of 10^scale, rounded up. */
function scaledValue(q: Quantity, scale: number): number {
  const r = roundUpQuantity(q, scale);
  return Number(r.value * 10n ** BigInt(r.exp - scale));
}

const LIMIT_DEFAULTS = ['cpu', 'memory', 'ephemeral-storage'] as const;

function findContainer(pod: Pod, name: string): Container {
  const c = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === name);
  if (!c) throw new Error(`container ${name} not found`);
  return c;
}

/** The container's resources with unset (or zero) cpu, memory and ephemeral-storage limits taken from allocatable. */
function withDefaultLimits(c: Container, allocatable: NodeInfo['allocatable']): Record<string, Record<string, string>> {
  const limits: Record<string, string> = { ...(c.resources?.limits ?? {}) };
  for (const r of LIMIT_DEFAULTS) {
    const cur = limits[r];
    const unset = cur === undefined || parseQuantity(String(cur)).value === 0n;
    if (unset && allocatable[r] !== undefined) limits[r] = allocatable[r]!;
  }
  return { limits, requests: { ...(c.resources?.requests ?? {}) } };
}

/**
 * The value of a resourceFieldRef (upstream's ExtractContainerResourceValue after
 * MergeContainerResourceLimits): the amount divided by the divisor, rounded up.
 */
export function containerResourceValue(
  fs: ResourceFieldSelector,
  pod: Pod,
  container: Container | undefined,
  allocatable: NodeInfo['allocatable'],
): string {
  const c = fs.containerName ? findContainer(pod, fs.containerName) : container;
  if (!c) throw new Error('resourceFieldRef needs a containerName here');
  const resources = withDefaultLimits(c, allocatable);
  let divisor = fs.divisor !== undefined ? parseQuantity(String(fs.divisor)) : undefined;
  if (!divisor || divisor.value === 0n) divisor = parseQuantity('1');
  const dot = fs.resource.indexOf('.');
  const kind = fs.resource.slice(0, dot);
  const name = fs.resource.slice(dot + 1);
  const supported = name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-');
  if (dot < 0 || (kind !== 'limits' && kind !== 'requests') || !supported) {
    throw new Error(`unsupported container resource : ${fs.resource}`);
  }
  const raw = resources[kind]![name];
  const amount = parseQuantity(raw === undefined ? '0' : String(raw));
  // upstream divides as float64 and takes the ceiling; cpu in milli-units, the rest in units.
  const scale = name === 'cpu' ? -3 : 0;
  return String(Math.ceil(scaledValue(amount, scale) / scaledValue(divisor, scale)));
}
