// NamespaceLifecycle: no new content in a missing or terminating namespace, and the system
// namespaces cannot be deleted.
import { errors, StatusError } from '../../api/errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export interface NamespaceLookup {
  /** The namespace object, or undefined when it does not exist. */
  getNamespace(name: string): Promise<{ status?: { phase?: string } } | undefined>;
}

export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';

  constructor(private readonly namespaces: NamespaceLookup) {}

  async validate(a: AdmissionAttributes): Promise<void> {
    if (a.resource.resource === 'namespaces' && a.resource.group === '') {
      if (a.operation === 'DELETE' && IMMORTAL_NAMESPACES.has(a.name)) {
        throw errors.forbidden(`namespaces "${a.name}" is forbidden: this namespace may not be deleted`, { name: a.name, kind: 'namespaces' });
      }
      return;
    }
    if (!a.resource.namespaced || a.operation !== 'CREATE' || !a.namespace) return;
    const ns = await this.namespaces.getNamespace(a.namespace);
    if (!ns) throw errors.notFound('', 'namespaces', a.namespace);
    if (ns.status?.phase === 'Terminating') {
      throw new StatusError(403, 'Forbidden',
        `${a.resource.resource}${a.resource.group ? '.' + a.resource.group : ''} "${a.name}" is forbidden: unable to create new content in namespace ${a.namespace} because it is being terminated`,
        { name: a.name, group: a.resource.group, kind: a.resource.resource, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }] });
    }
  }
}
