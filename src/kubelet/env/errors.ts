// Errors that stop a container from being created. The kubelet shows `reason` as the container's
// waiting reason and the message on the Failed event, as upstream does for makeEnvironmentVariables.

export const CREATE_CONTAINER_CONFIG_ERROR = 'CreateContainerConfigError';

export class ContainerConfigError extends Error {
  readonly reason = CREATE_CONTAINER_CONFIG_ERROR;
}

/** upstream's NotFound from the kubelet's object caches, which name the resource in the singular. */
export function notFoundMessage(resource: 'configmap' | 'secret', name: string): string {
  return `${resource} "${name}" not found`;
}
