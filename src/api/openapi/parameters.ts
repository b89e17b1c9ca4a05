// The request parameters of each kind of operation, as kube-apiserver documents them
// (names, where they go and their types; descriptions are not carried).

export interface Param {
  name: string;
  in: 'path' | 'query';
  type: 'string' | 'integer' | 'boolean';
  required?: true;
}

const q = (name: string, type: Param['type'] = 'string'): Param => ({ name, in: 'query', type });
const path = (name: string): Param => ({ name, in: 'path', type: 'string', required: true });

export const NAMESPACE_PARAM = path('namespace');
export const NAME_PARAM = path('name');
export const PATH_PARAM = path('path');
export const PRETTY_PARAM = q('pretty');

/** list and watch (`GET` on a collection, and the `/watch/` paths). */
export const LIST_PARAMS: Param[] = [
  q('allowWatchBookmarks', 'boolean'), q('continue'), q('fieldSelector'), q('labelSelector'), q('limit', 'integer'),
  q('resourceVersion'), q('resourceVersionMatch'), q('sendInitialEvents', 'boolean'), q('timeoutSeconds', 'integer'),
  q('watch', 'boolean'),
];

/** create (`POST`) and replace (`PUT`). */
export const WRITE_PARAMS: Param[] = [q('dryRun'), q('fieldManager'), q('fieldValidation')];

/** patch (`PATCH`): kubectl checks for `fieldValidation` here before leaving validation to the server. */
export const PATCH_PARAMS: Param[] = [...WRITE_PARAMS, q('force', 'boolean')];

/** delete (`DELETE` on an item). */
export const DELETE_PARAMS: Param[] = [
  q('dryRun'), q('gracePeriodSeconds', 'integer'), q('ignoreStoreReadErrorWithClusterBreakingPotential', 'boolean'),
  q('orphanDependents', 'boolean'), q('propagationPolicy'),
];

/** deletecollection (`DELETE` on a collection): delete options plus the list options. */
export const DELETE_COLLECTION_PARAMS: Param[] = [
  q('continue'), q('dryRun'), q('fieldSelector'), q('gracePeriodSeconds', 'integer'),
  q('ignoreStoreReadErrorWithClusterBreakingPotential', 'boolean'), q('labelSelector'), q('limit', 'integer'),
  q('orphanDependents', 'boolean'), q('propagationPolicy'), q('resourceVersion'), q('resourceVersionMatch'),
  q('sendInitialEvents', 'boolean'), q('timeoutSeconds', 'integer'),
];

/** The query parameters of `pods/log` (PodLogOptions). */
export const LOG_PARAMS: Param[] = [
  q('container'), q('follow', 'boolean'), q('insecureSkipTLSVerifyBackend', 'boolean'), q('limitBytes', 'integer'),
  q('previous', 'boolean'), q('sinceSeconds', 'integer'), q('stream'), q('tailLines', 'integer'), q('timestamps', 'boolean'),
];

/** Query parameters of connect subresources, by the options kind they decode into. */
export const CONNECT_PARAMS: Record<string, Param[]> = {
  PodExecOptions: [q('command'), q('container'), q('stderr', 'boolean'), q('stdin', 'boolean'), q('stdout', 'boolean'), q('tty', 'boolean')],
  PodAttachOptions: [q('container'), q('stderr', 'boolean'), q('stdin', 'boolean'), q('stdout', 'boolean'), q('tty', 'boolean')],
  PodPortForwardOptions: [q('ports', 'integer')],
  PodProxyOptions: [q('path')],
  NodeProxyOptions: [q('path')],
  ServiceProxyOptions: [q('path')],
};
