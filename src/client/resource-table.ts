// GVR → kind and scope, for addressing resources the caller names by group/version/resource
// only. Built explicitly from the API registry (built-in kinds), extendable with custom ones.
import { Registry } from '../api/registry/index.js';
import { loadSchema } from '../api/schema/index.js';
import type { GroupVersionResource, ResourceType, UnstructuredObject } from './resource.js';
import { gvrString } from './resource.js';

export class ResourceTable {
  private readonly byGVR = new Map<string, ResourceType>();
  private readonly byGVK = new Map<string, ResourceType>();

  constructor(entries: Iterable<ResourceType> = []) {
    for (const e of entries) this.add(e);
  }

  /** The built-in resources of the generated schema (virtual ones, like bindings, included). */
  static fromRegistry(registry: Registry): ResourceTable {
    return new ResourceTable(
      registry.all.map((r) => ({ group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced })),
    );
  }

  /** A table of the built-in resources (the schema is read once per process). */
  static builtin(): ResourceTable {
    builtinTable ??= ResourceTable.fromRegistry(new Registry(loadSchema()));
    return builtinTable;
  }

  add(r: ResourceType): void {
    const entry: ResourceType = { group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced };
    this.byGVR.set(gvrString(r), entry);
    this.byGVK.set(`${r.group}/${r.version}/${r.kind}`, entry);
  }

  get(gvr: GroupVersionResource): ResourceType | undefined {
    return this.byGVR.get(gvrString(gvr));
  }

  forKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.byGVK.get(`${group}/${version}/${kind}`);
  }

  /** Like get(), but throws for an unknown resource. */
  resolve(gvr: GroupVersionResource): ResourceType<UnstructuredObject> {
    const r = this.get(gvr);
    if (!r) throw new Error(`unknown resource ${gvrString(gvr)}`);
    return r;
  }
}

let builtinTable: ResourceTable | undefined;
