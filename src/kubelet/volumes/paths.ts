// The kubelet's on-disk layout for pods and their volumes, as upstream names it:
// <rootDir>/pods/<uid>/volumes/kubernetes.io~<plugin>/<volume>.
import path from 'node:path';

export type VolumePlugin = 'empty-dir' | 'configmap' | 'secret' | 'downward-api' | 'projected';

/** A pod UID becomes a directory name; refuse anything that could step outside the pods directory. */
export function checkPodUID(uid: string): void {
  if (!uid || uid === '.' || uid === '..' || uid.includes('/') || uid.includes('\0')) {
    throw new Error(`invalid pod UID ${JSON.stringify(uid)}`);
  }
}

export function podDir(rootDir: string, uid: string): string {
  checkPodUID(uid);
  return path.join(rootDir, 'pods', uid);
}

export function podVolumesDir(rootDir: string, uid: string): string {
  return path.join(podDir(rootDir, uid), 'volumes');
}

export function volumeDir(rootDir: string, uid: string, plugin: VolumePlugin, name: string): string {
  if (!name || name.includes('/') || name === '.' || name === '..') throw new Error(`invalid volume name ${JSON.stringify(name)}`);
  return path.join(podVolumesDir(rootDir, uid), `kubernetes.io~${plugin}`, name);
}

/** upstream's ValidatePathNoBacksteps. */
export function hasBacksteps(p: string): boolean {
  return p.split('/').includes('..');
}
