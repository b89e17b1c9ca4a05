// Volume set-up failures, worded as upstream's FailedMount events.

export const FAILED_MOUNT = 'FailedMount';

export class VolumeMountError extends Error {
  readonly reason = FAILED_MOUNT;
  constructor(readonly volume: string, readonly detail: string) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${detail}`);
  }
}

/** Every volume of a pod that could not be set up; upstream records one FailedMount event per entry. */
export class PodVolumesError extends Error {
  readonly reason = FAILED_MOUNT;
  constructor(readonly errors: VolumeMountError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}
