// The resource registry: every served group/version/resource with its kind, scope, verbs,
// subresources, short names, categories and storage location. Built explicitly at startup
// from the generated schema (no import-time global state).
import type { Schema, ResourceSchema, SubresourceSchema } from '../schema/index.js';
import { CATEGORIES, GROUP_ORDER, KEY_PREFIXES, SHARED_STORAGE, SHORT_NAMES, VERSION_PREFERENCE, VIRTUAL_KINDS } from './resource-facts.js';

export interface ResourceInfo {
  group: string;
  version: string;
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: SubresourceSchema[];
  /** The schema type name of the kind. */
  typeName: string;
  /** Key prefix in the store (`/registry/pods`); objects live at `<prefix>/<ns>/<name>` or `<prefix>/<name>`. */
  keyPrefix: string;
  /** The group-version whose form is stored (differs when storage is shared, e.g. HPA v1 → v2). */
  storageGroup: string;
  storageVersion: string;
  /** Reviews and bindings: answered or applied at once, never listed or stored as themselves. */
  virtual: boolean;
  /** True when status is a subresource, so main-resource writes keep the stored status. */
  hasStatus: boolean;
}

export interface GroupVersions {
  group: string;
  versions: string[]; // preferred first
}

export class Registry {
  private readonly byGVR = new Map<string, ResourceInfo>();
  private readonly byGVK = new Map<string, ResourceInfo>();
  readonly all: ResourceInfo[] = [];
  readonly groups: GroupVersions[] = [];

  constructor(readonly schema: Schema) {
    for (const r of schema.raw.resources) this.add(r);
    const seen = new Map<string, Set<string>>();
    for (const r of this.all) {
      if (!seen.has(r.group)) seen.set(r.group, new Set());
      seen.get(r.group)!.add(r.version);
    }
    const order = (g: string) => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);
    for (const g of [...seen.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b))) {
      const pref = VERSION_PREFERENCE[g] ?? [];
      const versions = [...seen.get(g)!].sort((a, b) => rank(pref, a) - rank(pref, b) || a.localeCompare(b));
      this.groups.push({ group: g, versions });
    }
  }

  private add(r: ResourceSchema): void {
    const gr = `${r.group}/${r.resource}`;
    const shared = SHARED_STORAGE[`${r.group}/${r.version}/${r.resource}`];
    const storageGR = shared ? `${shared.group}/${shared.resource}` : gr;
    const typeName = this.schema.typeNameFor({ group: r.group, version: r.version, kind: r.kind });
    if (!typeName) throw new Error(`schema has no type for ${r.group}/${r.version} ${r.kind}`);
    const info: ResourceInfo = {
      group: r.group,
      version: r.version,
      resource: r.resource,
      kind: r.kind,
      listKind: `${r.kind}List`,
      singular: r.kind.toLowerCase(),
      namespaced: r.namespaced,
      verbs: r.verbs,
      shortNames: SHORT_NAMES[gr] ?? [],
      categories: CATEGORIES[gr] ?? [],
      subresources: r.subresources,
      typeName,
      keyPrefix: KEY_PREFIXES[storageGR] ?? `/registry/${shared ? shared.resource : r.resource}`,
      storageGroup: shared?.group ?? r.group,
      storageVersion: shared?.version ?? r.version,
      virtual: VIRTUAL_KINDS.has(r.kind),
      hasStatus: r.subresources.some((s) => s.name === 'status'),
    };
    this.all.push(info);
    this.byGVR.set(`${r.group}/${r.version}/${r.resource}`, info);
    this.byGVK.set(`${r.group}/${r.version}/${r.kind}`, info);
  }

  get(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.byGVR.get(`${group}/${version}/${resource}`);
  }

  forKind(group: string, version: string, kind: string): ResourceInfo | undefined {
    return this.byGVK.get(`${group}/${version}/${kind}`);
  }

  /** Resources of one group-version, in name order. */
  inGroupVersion(group: string, version: string): ResourceInfo[] {
    return this.all.filter((r) => r.group === group && r.version === version);
  }

  /** Key of an object in the store. */
  key(info: ResourceInfo, namespace: string | undefined, name: string): string {
    return info.namespaced ? `${info.keyPrefix}/${namespace}/${name}` : `${info.keyPrefix}/${name}`;
  }

  /** Prefix covering a namespace's objects (or all, with a trailing slash). */
  prefix(info: ResourceInfo, namespace?: string): string {
    return info.namespaced && namespace ? `${info.keyPrefix}/${namespace}/` : `${info.keyPrefix}/`;
  }
}

function rank(pref: string[], v: string): number {
  const i = pref.indexOf(v);
  return i < 0 ? pref.length : i;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
