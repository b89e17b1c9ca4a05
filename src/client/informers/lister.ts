// Listers read an informer's cache: list by label selector (all, or in one namespace) and get by
// name. They never call the API; what they return is shared with the cache — copy before
// changing. `get` answers undefined for an absent object (client-go answers NotFound).
import type { Labels } from '../../api/selectors/index.js';
import type { KubeObject } from '../resource.js';
import { NAMESPACE_INDEX, type Indexer } from './indexer.js';

/** Anything that matches labels, e.g. a LabelSelector from src/api/selectors. */
export interface Selector {
  matches(labels: Labels): boolean;
}

export const everything: Selector = { matches: () => true };

export interface NamespaceLister<T> {
  list(selector?: Selector): T[];
  get(name: string): T | undefined;
}

export class Lister<T extends KubeObject> {
  constructor(readonly indexer: Indexer<T>) {}

  /** Every cached object matching `selector`. */
  list(selector: Selector = everything): T[] {
    return this.indexer.list().filter((o) => selector.matches(o.metadata?.labels));
  }

  /** A cluster-scoped object by name. */
  get(name: string): T | undefined {
    return this.indexer.getByKey(name);
  }

  /** Objects in one namespace (uses the namespace index when the cache has one). */
  namespace(namespace: string): NamespaceLister<T> {
    const indexer = this.indexer;
    return {
      list(selector: Selector = everything): T[] {
        const inNs = NAMESPACE_INDEX in indexer.getIndexers()
          ? indexer.byIndex(NAMESPACE_INDEX, namespace)
          : indexer.list().filter((o) => (o.metadata?.namespace ?? '') === namespace);
        return inNs.filter((o) => selector.matches(o.metadata?.labels));
      },
      get(name: string): T | undefined {
        return indexer.getByKey(namespace ? `${namespace}/${name}` : name);
      },
    };
  }
}
