export { atomicWrite, validatePayloadPath, type AtomicWriteOptions, type FileProjection, type Payload } from './atomic-writer.js';
export { memoryEmptyDirSize, podMemoryLimit } from './empty-dir-size.js';
export { FAILED_MOUNT, PodVolumesError, VolumeMountError } from './errors.js';
export { checkHostPath, type HostPathType } from './host-path.js';
export { podDir, volumeDir, type VolumePlugin } from './paths.js';
export { removeTreeOneFilesystem } from './safe-remove.js';
export { VolumeManager, type VolumeManagerOptions } from './volume-manager.js';
export type { IssuedToken, PodObjects, TokenRequest } from '../env/pod-objects.js';
