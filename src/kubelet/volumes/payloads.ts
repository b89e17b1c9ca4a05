// What configMap, secret, downwardAPI and projected volumes contain: the file set handed to the
// atomic writer, built as upstream's volume plugins build it (MakePayload, CollectData, projected's
// collectData), with their error texts.
import type {
  ConfigMap, ConfigMapVolumeSource, DownwardAPIVolumeFile, KeyToPath, Pod, ProjectedVolumeSource, Secret, SecretVolumeSource,
} from 'kubernetes-types/core/v1.js';
import { containerResourceValue, volumeFieldValue, type NodeInfo } from '../env/downward-api.js';
import { notFoundMessage } from '../env/errors.js';
import type { PodObjects } from '../env/pod-objects.js';
import type { FileProjection, Payload } from './atomic-writer.js';

/** upstream's default for configMap, secret, downwardAPI and projected volumes (0644). */
export const DEFAULT_MODE = 0o644;
/** upstream's default lifetime of a projected service account token. */
const DEFAULT_TOKEN_SECONDS = 3600;

export interface PayloadContext {
  pod: Pod;
  objects: PodObjects;
  allocatable: NodeInfo['allocatable'];
}

/** Keys to file contents: configMap data and binaryData, or secret data (all but configMap data base64). */
function keyedData(obj: ConfigMap | Secret, isConfigMap: boolean): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (isConfigMap) {
    const cm = obj as ConfigMap;
    for (const [k, v] of Object.entries(cm.data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
    for (const [k, v] of Object.entries(cm.binaryData ?? {})) out.set(k, Buffer.from(v, 'base64'));
  } else {
    for (const [k, v] of Object.entries((obj as Secret).data ?? {})) out.set(k, Buffer.from(v, 'base64'));
  }
  return out;
}

/** upstream's MakePayload for configMap and secret sources. */
function makePayload(
  data: Map<string, Buffer>, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean, what: 'config' | 'secret',
): Payload {
  const out: Payload = new Map();
  if (!items?.length) {
    for (const [k, v] of data) out.set(k, { data: v, mode: defaultMode });
    return out;
  }
  for (const ktp of items) {
    const v = data.get(ktp.key);
    if (v === undefined) {
      if (optional) continue;
      throw new Error(`${what === 'config' ? 'configmap' : 'secret'} references non-existent ${what} key: ${ktp.key}`);
    }
    out.set(ktp.path, { data: v, mode: ktp.mode ?? defaultMode });
  }
  return out;
}

async function objectPayload(
  ctx: PayloadContext, kind: 'configmap' | 'secret', name: string, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean,
): Promise<Payload> {
  const ns = ctx.pod.metadata?.namespace ?? '';
  const obj = kind === 'configmap' ? await ctx.objects.configMap(ns, name) : await ctx.objects.secret(ns, name);
  if (!obj) {
    if (!optional) throw new Error(notFoundMessage(kind, name));
    return new Map();
  }
  return makePayload(keyedData(obj, kind === 'configmap'), items, defaultMode, optional, kind === 'configmap' ? 'config' : 'secret');
}

export function configMapPayload(ctx: PayloadContext, src: ConfigMapVolumeSource): Promise<Payload> {
  return objectPayload(ctx, 'configmap', src.name ?? '', src.items, src.defaultMode ?? DEFAULT_MODE, !!src.optional);
}

export function secretPayload(ctx: PayloadContext, src: SecretVolumeSource): Promise<Payload> {
  return objectPayload(ctx, 'secret', src.secretName ?? '', src.items, src.defaultMode ?? DEFAULT_MODE, !!src.optional);
}

/** upstream's downwardapi CollectData: every item is tried, errors are reported together. */
export function downwardAPIPayload(ctx: PayloadContext, items: DownwardAPIVolumeFile[] | undefined, defaultMode: number): Payload {
  const out: Payload = new Map();
  const errors: string[] = [];
  for (const item of items ?? []) {
    const f: FileProjection = { data: Buffer.alloc(0), mode: item.mode ?? defaultMode };
    try {
      if (item.fieldRef) f.data = Buffer.from(volumeFieldValue(ctx.pod, item.fieldRef));
      else if (item.resourceFieldRef) {
        f.data = Buffer.from(containerResourceValue(item.resourceFieldRef, ctx.pod, undefined, ctx.allocatable));
      }
    } catch (e) {
      errors.push((e as Error).message);
    }
    out.set(item.path, f);
  }
  if (errors.length) throw new Error(aggregate(errors));
  return out;
}

/** utilerrors.NewAggregate's text: the one message, or `[a, b]`. */
function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}

/** upstream's projected collectData: sources merged in order, every failure reported together. */
export async function projectedPayload(ctx: PayloadContext, src: ProjectedVolumeSource): Promise<Payload> {
  const defaultMode = src.defaultMode ?? DEFAULT_MODE;
  const out: Payload = new Map();
  const errors: string[] = [];
  const merge = (p: Payload) => p.forEach((v, k) => out.set(k, v));
  for (const s of src.sources ?? []) {
    try {
      if (s.configMap) {
        merge(await objectPayload(ctx, 'configmap', s.configMap.name ?? '', s.configMap.items, defaultMode, !!s.configMap.optional));
      } else if (s.secret) {
        merge(await objectPayload(ctx, 'secret', s.secret.name ?? '', s.secret.items, defaultMode, !!s.secret.optional));
      } else if (s.downwardAPI) {
        merge(downwardAPIPayload(ctx, s.downwardAPI.items, defaultMode));
      } else if (s.serviceAccountToken) {
        const tp = s.serviceAccountToken;
        out.set(tp.path, { data: Buffer.from(await issueToken(ctx, tp.audience, tp.expirationSeconds)), mode: defaultMode });
      } else if (s.clusterTrustBundle) {
        throw new Error('clusterTrustBundle projected volume sources are not supported by this kubelet');
      }
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (errors.length) throw new Error(aggregate(errors));
  return out;
}

async function issueToken(ctx: PayloadContext, audience: string | undefined, expirationSeconds: number | undefined): Promise<string> {
  if (!ctx.objects.serviceAccountToken) throw new Error('service account tokens are not issued yet');
  const meta = ctx.pod.metadata ?? {};
  const tr = await ctx.objects.serviceAccountToken({
    namespace: meta.namespace ?? '',
    serviceAccountName: ctx.pod.spec?.serviceAccountName || 'default',
    audiences: audience ? [audience] : [],
    expirationSeconds: expirationSeconds ?? DEFAULT_TOKEN_SECONDS,
    boundPod: { name: meta.name ?? '', uid: meta.uid ?? '' },
  });
  return tr.token;
}
