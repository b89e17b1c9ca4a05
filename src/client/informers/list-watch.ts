// What a reflector needs from the API: list and watch of one resource, optionally narrowed
// (namespace, selectors) the same way for both.
import type { ListOptions, ResourceClient, WatchOptions } from '../rest-client.js';
import { apiVersionOf, type KubeList, type KubeObject } from '../resource.js';
import type { Watch } from '../watch.js';

export interface ListerWatcher<T> {
  list(opts: ListOptions): Promise<KubeList<T>>;
  watch(opts: WatchOptions): Promise<Watch<T>>;
}

export interface ListWatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * A ListerWatcher over a resource client (already scoped to a namespace, or not). List items get
 * kind and apiVersion filled in when the server left them out, so cached objects look alike
 * whether they came from a list or a watch.
 */
export function listWatch<T extends KubeObject>(client: ResourceClient<T>, narrow: ListWatchOptions = {}): ListerWatcher<T> {
  const sel = (o: ListOptions | WatchOptions) => {
    if (narrow.labelSelector) o.labelSelector = narrow.labelSelector;
    if (narrow.fieldSelector) o.fieldSelector = narrow.fieldSelector;
    return o;
  };
  return {
    list: async (opts) => {
      const list = await client.list(sel({ ...opts }) as ListOptions);
      const kind = client.type.kind;
      const apiVersion = apiVersionOf(client.type);
      for (const item of list.items) {
        item.kind ??= kind;
        item.apiVersion ??= apiVersion;
      }
      return list;
    },
    watch: (opts) => client.watch(sel({ ...opts }) as WatchOptions),
  };
}
