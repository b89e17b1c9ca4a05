// Static pods (upstream's file config source): every *.yaml, *.yml or *.json file in the
// manifest directory holds one Pod that this node runs without the API server deciding. The
// directory is re-read every 20 s (upstream's file check frequency) and soon after it changes.
// Each pod gets upstream's defaults: name `<name>-<node>`, namespace default, a UID hashed from
// the pod, the node and the file, the config annotations, a NoExecute toleration, Pending phase.
// A file that does not parse as a Pod is reported once and skipped; the others still run.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Pod } from 'kubernetes-types/core/v1.js';

export const CONFIG_SOURCE = 'kubernetes.io/config.source';
export const CONFIG_HASH = 'kubernetes.io/config.hash';
export const CONFIG_SEEN = 'kubernetes.io/config.seen';
export const CONFIG_MIRROR = 'kubernetes.io/config.mirror';

const CHECK_PERIOD_MS = 20_000;

export function isStaticPod(pod: Pod): boolean {
  return pod.metadata?.annotations?.[CONFIG_SOURCE] === 'file';
}

export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata?.annotations?.[CONFIG_MIRROR] !== undefined;
}

/** One manifest file's Pod with the static-pod defaults, or why it is not one. */
export function staticPodFrom(file: string, text: string, nodeName: string, seen: Date): Pod | { error: string } {
  let docs: unknown[];
  try {
    docs = parseAllDocuments(text).map((d) => {
      if (d.errors.length) throw d.errors[0];
      return d.toJS();
    }).filter((d) => d !== null && d !== undefined);
  } catch (e) {
    return { error: `cannot parse: ${(e as Error).message}` };
  }
  if (docs.length !== 1) return { error: `holds ${docs.length} objects; a manifest file holds exactly one Pod` };
  const pod = docs[0] as Pod;
  if (typeof pod !== 'object' || pod.kind !== 'Pod' || (pod.apiVersion !== 'v1' && pod.apiVersion !== undefined)) {
    return { error: `is not a v1 Pod (kind ${JSON.stringify((pod as { kind?: unknown })?.kind)})` };
  }
  if (!pod.metadata?.name) return { error: 'has no metadata.name' };
  if (!pod.spec?.containers?.length) return { error: 'has no containers' };
  const uid = pod.metadata.uid || createHash('md5').update(JSON.stringify(pod)).update(`host:${nodeName}`).update(`file:${file}`).digest('hex');
  const spec = structuredClone(pod.spec);
  spec.nodeName = nodeName;
  // Kept on the node through node problems: static pods are not evicted.
  if (!spec.tolerations?.some((t) => t.operator === 'Exists' && !t.key && t.effect === 'NoExecute')) {
    spec.tolerations = [...(spec.tolerations ?? []), { operator: 'Exists', effect: 'NoExecute' }];
  }
  const out: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      ...structuredClone(pod.metadata),
      name: `${pod.metadata.name}-${nodeName}`,
      namespace: pod.metadata.namespace || 'default',
      uid,
      annotations: { ...pod.metadata.annotations, [CONFIG_HASH]: uid, [CONFIG_SOURCE]: 'file', [CONFIG_SEEN]: seen.toISOString() },
      creationTimestamp: pod.metadata.creationTimestamp ?? seen.toISOString().replace(/\.\d+Z$/, 'Z'),
    },
    spec,
    status: { phase: 'Pending' },
  };
  return out;
}

export interface ManifestSourceOptions {
  dir: string;
  nodeName: string;
  /** The full set of static pods (keyed by UID) whenever it changed. */
  onPods(pods: Map<string, Pod>): void;
  warn(message: string): void;
  periodMs?: number;
}

export class ManifestSource {
  private timer?: NodeJS.Timeout;
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  /** file → content and the pod it gave, so unchanged files keep their config.seen. */
  private readonly files = new Map<string, { text: string; pod?: Pod }>();
  private lastKeys = '';
  private readonly warned = new Set<string>();

  constructor(private readonly opts: ManifestSourceOptions) {}

  start(): void {
    this.scan();
    this.timer = setInterval(() => this.scan(), this.opts.periodMs ?? CHECK_PERIOD_MS);
    try {
      this.watcher = watch(this.opts.dir, () => {
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => this.scan(), 100);
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // no watch support (or no directory yet): the periodic scan still sees changes
    }
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    this.watcher?.close();
  }

  /** Reads the directory and reports the pods when the set or any pod changed. */
  scan(): void {
    let names: string[] = [];
    try {
      names = readdirSync(this.opts.dir).filter((n) => /\.(ya?ml|json)$/.test(n) && !n.startsWith('.')).sort();
    } catch (e) {
      this.warnOnce(`dir:${(e as Error).message}`, `static pods: cannot read ${this.opts.dir}: ${(e as Error).message}`);
    }
    const now = new Date();
    const pods = new Map<string, Pod>();
    const present = new Set<string>();
    for (const name of names) {
      const file = join(this.opts.dir, name);
      let text: string;
      try {
        if (!statSync(file).isFile()) continue;
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // removed while we read
      }
      present.add(file);
      let entry = this.files.get(file);
      if (!entry || entry.text !== text) {
        const parsed = staticPodFrom(file, text, this.opts.nodeName, now);
        if ('error' in parsed) this.warnOnce(`${file}:${text}`, `static pods: ${file} ${parsed.error}`);
        entry = { text, pod: 'error' in parsed ? undefined : parsed };
        this.files.set(file, entry);
      }
      if (entry.pod) {
        const uid = entry.pod.metadata!.uid!;
        const dup = [...pods.values()].find((p) => p.metadata!.name === entry!.pod!.metadata!.name && p.metadata!.namespace === entry!.pod!.metadata!.namespace);
        if (dup) this.warnOnce(`dup:${file}`, `static pods: ${file} names pod ${entry.pod.metadata!.namespace}/${entry.pod.metadata!.name} again; skipped`);
        else pods.set(uid, entry.pod);
      }
    }
    for (const f of [...this.files.keys()]) if (!present.has(f)) this.files.delete(f);
    const keys = [...pods.keys()].sort().join(',');
    if (keys !== this.lastKeys) {
      this.lastKeys = keys;
      this.opts.onPods(pods);
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.warn(message);
  }
}
