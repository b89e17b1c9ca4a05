// How a controller writes pods (controller_utils.go's PodControlInterface / RealPodControl):
// create from a template with a controller reference, delete, patch — recording the
// SuccessfulCreate / FailedCreate / SuccessfulDelete / FailedDelete events upstream records.
// An interface, so controller tests can swap in a recording fake.
import type { ObjectReference, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { hasStatusCause, isNotFound, resources, type EventRecorder, type RestClient } from '../../client/index.js';
import { FAILED_CREATE_REASON, FAILED_DELETE_REASON, SUCCESSFUL_CREATE_REASON, SUCCESSFUL_DELETE_REASON, podFromTemplate } from './replica-set-utils.js';

/** The status cause the API server gives when a namespace is being deleted. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

export interface PodControl {
  /** Creates one pod from `template` in `namespace`, owned by `controllerRef`; events go to `parent`. */
  createPod(namespace: string, template: PodTemplateSpec | undefined, parent: ObjectReference, controllerRef: OwnerReference): Promise<void>;
  /** Deletes a pod; a NotFound error is thrown as is (callers treat it as done). */
  deletePod(namespace: string, name: string, parent: ObjectReference): Promise<void>;
  /** Applies a strategic merge patch to a pod. */
  patchPod(namespace: string, name: string, patch: unknown): Promise<void>;
}

export class RealPodControl implements PodControl {
  constructor(
    private readonly client: RestClient,
    private readonly recorder: EventRecorder,
  ) {}

  async createPod(namespace: string, template: PodTemplateSpec | undefined, parent: ObjectReference, controllerRef: OwnerReference): Promise<void> {
    const pod = podFromTemplate(template, parent.name ?? '', controllerRef);
    let created: Pod;
    try {
      created = await this.client.resource(resources.pods).namespace(namespace).create(pod);
    } catch (e) {
      // Only worth an event when the namespace is not going away anyway.
      if (!hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) this.recorder.event(parent, 'Warning', FAILED_CREATE_REASON, `Error creating: ${(e as Error).message}`);
      throw e;
    }
    this.recorder.event(parent, 'Normal', SUCCESSFUL_CREATE_REASON, `Created pod: ${created.metadata?.name}`);
  }

  async deletePod(namespace: string, name: string, parent: ObjectReference): Promise<void> {
    try {
      await this.client.resource(resources.pods).namespace(namespace).delete(name);
    } catch (e) {
      if (!isNotFound(e)) this.recorder.event(parent, 'Warning', FAILED_DELETE_REASON, `Error deleting: ${(e as Error).message}`);
      throw e;
    }
    this.recorder.event(parent, 'Normal', SUCCESSFUL_DELETE_REASON, `Deleted pod: ${name}`);
  }

  async patchPod(namespace: string, name: string, patch: unknown): Promise<void> {
    await this.client.resource(resources.pods).namespace(namespace).patch(name, patch, { type: 'strategic' });
  }
}
