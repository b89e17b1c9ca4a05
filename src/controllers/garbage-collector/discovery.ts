// What the server serves, read through its discovery documents (GET /api, /api/v1, /apis,
// /apis/<group>/<version>) as client-go's discovery client reads them, so custom resources count
// too. Used by the garbage collector (which resources to watch, apiVersion/kind → resource) and
// the namespace controller (which resources to empty a namespace of).
// (A candidate for src/client once another component needs it.)
import { ResourceTable, apiVersionOf, type RestClient, type ResourceType } from '../../client/index.js';

export interface DiscoveredResource extends ResourceType {
  verbs: string[];
  /** True for the version ServerPreferredResources would pick for this group and resource. */
  preferred: boolean;
}

/** Some group versions could not be read (client-go's ErrGroupDiscoveryFailed). */
export class GroupDiscoveryFailedError extends Error {
  constructor(readonly groups: Map<string, unknown>) {
    const parts = [...groups].map(([gv, e]) => `${gv}: ${e instanceof Error ? e.message : String(e)}`).sort();
    super(`unable to retrieve the complete list of server APIs: ${parts.join(', ')}`);
    this.name = 'GroupDiscoveryFailedError';
  }
}

export interface DiscoveryResult {
  resources: DiscoveredResource[];
  /** Set when some group versions failed; `resources` then holds what could be read. */
  error?: Error;
}

/** The discovery reads the collectors need; a seam for tests. */
export type DiscoverFn = () => Promise<DiscoveryResult>;

interface APIVersions { versions?: string[] }
interface APIGroupList { groups?: Array<{ name: string; versions?: Array<{ groupVersion: string; version: string }>; preferredVersion?: { version: string } }> }
interface APIResourceList { resources?: Array<{ name: string; namespaced: boolean; kind: string; verbs?: string[] }> }

/** Every resource (not subresource) of every served group version. A failure of /api or /apis throws. */
export async function discoverResources(client: RestClient): Promise<DiscoveryResult> {
  const core = await client.json<APIVersions>({ method: 'GET', path: '/api' });
  const groups = await client.json<APIGroupList>({ method: 'GET', path: '/apis' });
  const gvs: Array<{ group: string; versions: string[] }> = [{ group: '', versions: core.versions ?? ['v1'] }];
  for (const g of groups.groups ?? []) {
    const versions = (g.versions ?? []).map((v) => v.version);
    const pref = g.preferredVersion?.version;
    // Preferred version first, as ServerPreferredResources walks them.
    if (pref && versions.includes(pref)) {
      versions.splice(versions.indexOf(pref), 1);
      versions.unshift(pref);
    }
    gvs.push({ group: g.name, versions });
  }
  const failed = new Map<string, unknown>();
  const lists = await Promise.all(
    gvs.flatMap(({ group, versions }) =>
      versions.map(async (version) => {
        const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
        try {
          return { group, version, list: await client.json<APIResourceList>({ method: 'GET', path }) };
        } catch (e) {
          failed.set(apiVersionOf({ group, version }), e);
          return { group, version, list: undefined };
        }
      }),
    ),
  );
  const seen = new Set<string>();
  const resources: DiscoveredResource[] = [];
  for (const { group, version, list } of lists) {
    for (const r of list?.resources ?? []) {
      if (r.name.includes('/')) continue;
      const key = `${group}/${r.name}`;
      const preferred = !seen.has(key);
      seen.add(key);
      resources.push({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [], preferred });
    }
  }
  return { resources, error: failed.size ? new GroupDiscoveryFailedError(failed) : undefined };
}

/** Preferred resources that support every verb in `verbs` (discovery.FilteredBy(SupportsAllVerbs)). */
export function preferredWithVerbs(resources: DiscoveredResource[], verbs: string[]): DiscoveredResource[] {
  return resources.filter((r) => r.preferred && verbs.every((v) => r.verbs.includes(v)));
}

/** apiVersion + kind → resource (a RESTMapper), from discovery, falling back to the built-in kinds. */
export class RestMapper {
  private byKind = new Map<string, ResourceType>();

  constructor(private readonly fallback: ResourceTable = ResourceTable.builtin()) {}

  reset(resources: Iterable<ResourceType>): void {
    const next = new Map<string, ResourceType>();
    for (const r of resources) next.set(`${apiVersionOf(r)}/${r.kind}`, r);
    this.byKind = next;
  }

  /** The resource of `kind` in `apiVersion` ("v1", "apps/v1"), or undefined when unknown. */
  resourceFor(apiVersion: string, kind: string): ResourceType | undefined {
    const found = this.byKind.get(`${apiVersion}/${kind}`);
    if (found) return found;
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    return this.fallback.forKind(group!, version!, kind);
  }
}
