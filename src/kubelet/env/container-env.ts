// A container's environment as upstream's kubelet makes it (makeEnvironmentVariables): envFrom
// first, then env in order (later entries see earlier ones through $(VAR)), then the service link
// variables the container did not set itself. Missing non-optional sources fail container creation.
import type { ConfigMap, Container, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { isRelaxedEnvVarName } from '../../api/validation/names.js';
import type { KeyValue } from '../runtime/cri.js';
import { containerResourceValue, podFieldValue, type NodeInfo } from './downward-api.js';
import { ContainerConfigError, notFoundMessage } from './errors.js';
import { expand, mappingFor } from './expansion.js';
import type { PodObjects } from './pod-objects.js';
import { serviceEnvMap } from './service-env.js';

export interface ContainerEnvOptions {
  /** Called for events the kubelet records on the pod, e.g. InvalidEnvironmentVariableNames. */
  warn?(reason: string, message: string): void;
}

/** Fetches each referenced object once per container, remembering what does not exist. */
class SourceCache {
  private readonly configMaps = new Map<string, ConfigMap | undefined>();
  private readonly secrets = new Map<string, Secret | undefined>();
  constructor(private readonly objects: PodObjects, private readonly ns: string) {}

  async configMap(name: string): Promise<ConfigMap | undefined> {
    if (!this.configMaps.has(name)) this.configMaps.set(name, await this.objects.configMap(this.ns, name));
    return this.configMaps.get(name);
  }

  async secret(name: string): Promise<Secret | undefined> {
    if (!this.secrets.has(name)) this.secrets.set(name, await this.objects.secret(this.ns, name));
    return this.secrets.get(name);
  }
}

function secretValue(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}

/**
 * The container's environment. Throws ContainerConfigError (reason CreateContainerConfigError)
 * with upstream's message when a required source or key is missing or a field cannot be read.
 */
export async function containerEnv(
  pod: Pod,
  container: Container,
  objects: PodObjects,
  node: NodeInfo,
  opts: ContainerEnvOptions = {},
): Promise<KeyValue[]> {
  const ns = pod.metadata?.namespace ?? '';
  const serviceEnv = await serviceEnvMap(objects, ns, pod.spec?.enableServiceLinks ?? true);
  const sources = new SourceCache(objects, ns);
  const env = new Map<string, string>();

  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const isConfigMap = !!from.configMapRef;
    const name = ref.name ?? '';
    const obj = isConfigMap ? await sources.configMap(name) : await sources.secret(name);
    if (!obj) {
      if (ref.optional) continue;
      throw new ContainerConfigError(notFoundMessage(isConfigMap ? 'configmap' : 'secret', name));
    }
    const invalid: string[] = [];
    for (const [k, v] of Object.entries(obj.data ?? {})) {
      const key = (from.prefix ?? '') + k;
      if (isRelaxedEnvVarName(key).length) {
        invalid.push(key);
        continue;
      }
      env.set(key, isConfigMap ? v : secretValue(v));
    }
    if (invalid.length) {
      const what = isConfigMap ? 'configMap' : 'secret';
      opts.warn?.(
        'InvalidEnvironmentVariableNames',
        `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${what} ${ns}/${name} were skipped since they are considered invalid environment variable names.`,
      );
    }
  }

  const mapping = mappingFor(env, serviceEnv);
  for (const ev of container.env ?? []) {
    const value = await resolveValue(ev, { pod, container, node, sources, ns, expandValue: (s) => expand(s, mapping) });
    if (value !== undefined) env.set(ev.name, value);
  }

  const out: KeyValue[] = [...env].map(([key, value]) => ({ key, value }));
  for (const [key, value] of serviceEnv) if (!env.has(key)) out.push({ key, value });
  return out;
}

interface ResolveContext {
  pod: Pod;
  container: Container;
  node: NodeInfo;
  sources: SourceCache;
  ns: string;
  expandValue(s: string): string;
}

/** One env entry's value, or undefined when an optional source is missing and the var is skipped. */
async function resolveValue(ev: NonNullable<Container['env']>[number], ctx: ResolveContext): Promise<string | undefined> {
  if (ev.value) return ctx.expandValue(ev.value);
  const from = ev.valueFrom;
  if (!from) return '';
  try {
    if (from.fieldRef) return podFieldValue(ctx.pod, from.fieldRef, ctx.node);
    if (from.resourceFieldRef) {
      return containerResourceValue(from.resourceFieldRef, ctx.pod, ctx.container, ctx.node.allocatable);
    }
  } catch (e) {
    throw new ContainerConfigError((e as Error).message);
  }
  if (from.configMapKeyRef) {
    const { name = '', key, optional } = from.configMapKeyRef;
    const cm = await ctx.sources.configMap(name);
    if (!cm) {
      if (optional) return undefined;
      throw new ContainerConfigError(notFoundMessage('configmap', name));
    }
    const v = cm.data?.[key];
    if (v === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${ctx.ns}/${name}`);
    }
    return v;
  }
  if (from.secretKeyRef) {
    const { name = '', key, optional } = from.secretKeyRef;
    const secret = await ctx.sources.secret(name);
    if (!secret) {
      if (optional) return undefined;
      throw new ContainerConfigError(notFoundMessage('secret', name));
    }
    const v = secret.data?.[key];
    if (v === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in Secret ${ctx.ns}/${name}`);
    }
    return secretValue(v);
  }
  return '';
}
