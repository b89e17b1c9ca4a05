// Label and field selectors of list/watch/deletecollection requests, turned into one filter.
import type { KObject } from '../../api/strategies/types.js';
import { errors, StatusError } from '../../api/errors.js';
import { parseLabelSelector } from '../../api/selectors/label-selector.js';
import { parseFieldSelector } from '../../api/selectors/field-selector.js';
import { checkFieldSelector, fieldAttributes } from '../../api/fields/index.js';
import type { ResourceInfo } from '../../api/registry/registry.js';

export interface Selection {
  filter?: (obj: KObject) => boolean;
  /** True when no selector narrows the result (remainingItemCount is then exact). */
  everything: boolean;
}

export function parseSelection(r: ResourceInfo, query: URLSearchParams, extraName?: string): Selection {
  const ls = query.get('labelSelector') ?? '';
  let fs = query.get('fieldSelector') ?? '';
  if (extraName) fs = fs ? `${fs},metadata.name=${extraName}` : `metadata.name=${extraName}`;
  let labels: ReturnType<typeof parseLabelSelector> | undefined;
  let fields: ReturnType<typeof parseFieldSelector> | undefined;
  try {
    if (ls.trim()) labels = parseLabelSelector(ls);
    // Labels are checked against the URL's group (events.k8s.io says regarding.name) and
    // rewritten to the attributes of the stored form.
    if (fs.trim()) fields = checkFieldSelector(r.group, r.kind, parseFieldSelector(fs));
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw errors.badRequest((e as Error).message);
  }
  if (!labels && !fields) return { everything: true };
  const group = r.storageGroup;
  const kind = r.kind;
  return {
    everything: false,
    filter: (obj) =>
      (!labels || labels.matches(obj.metadata?.labels ?? {})) && (!fields || fields.matches(fieldAttributes(group, kind, obj))),
  };
}
