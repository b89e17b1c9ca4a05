// Claiming pods (controller_ref_manager.go's PodControllerRefManager.ClaimPods): a controller
// owns the pods whose controller reference points at it and that its selector still matches.
//  - owned and matching: claimed;
//  - owned but no longer matching: released (its controller reference patched away), unless
//    the controller itself is being deleted;
//  - orphaned, matching, alive, same namespace: adopted (a controller reference patched in),
//    after one uncached check that the controller is not being deleted (canAdopt);
//  - owned by someone else: ignored.
// A pod that vanished meanwhile (NotFound) is simply not claimed; other errors are collected
// and reported together, after every pod was looked at.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { isInvalid, isNotFound, type Selector } from '../../client/index.js';
import { adoptPatch, getControllerOf, releasePatch, type OwnerKind } from './replica-set-utils.js';

export interface ClaimOptions {
  /** The claiming controller (name, namespace, uid, deletionTimestamp). */
  controller: { metadata?: ObjectMeta };
  kind: OwnerKind;
  selector: Selector;
  /** Throws when adoption must not happen (the controller is gone or being deleted). Called at most once. */
  canAdopt: () => Promise<void>;
  patchPod: (namespace: string, name: string, patch: unknown) => Promise<void>;
}

export interface ClaimResult {
  claimed: Pod[];
  errors: unknown[];
}

export async function claimPods(pods: readonly Pod[], o: ClaimOptions): Promise<ClaimResult> {
  const meta = o.controller.metadata ?? {};
  const controllerDeleting = !!meta.deletionTimestamp;
  let adoptCheck: Promise<void> | undefined;
  const canAdoptOnce = () => (adoptCheck ??= o.canAdopt());
  const claimed: Pod[] = [];
  const errors: unknown[] = [];

  const claimOne = async (pod: Pod): Promise<boolean> => {
    const pm = pod.metadata ?? {};
    const matches = o.selector.matches(pm.labels);
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.uid !== meta.uid) return false;
      if (matches) return true;
      if (controllerDeleting) return false;
      try {
        await o.patchPod(pm.namespace ?? '', pm.name ?? '', releasePatch(meta.uid, pm.uid));
      } catch (e) {
        // Gone, or recreated with another uid / without our reference: nothing to release.
        if (!isNotFound(e) && !isInvalid(e)) throw e;
      }
      return false;
    }
    if (controllerDeleting || !matches || pm.deletionTimestamp) return false;
    if (meta.namespace && meta.namespace !== pm.namespace) return false;
    try {
      await canAdoptOnce();
      await o.patchPod(pm.namespace ?? '', pm.name ?? '', adoptPatch(o.controller, o.kind, pm.uid));
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
    return true;
  };

  for (const pod of pods) {
    try {
      if (await claimOne(pod)) claimed.push(pod);
    } catch (e) {
      errors.push(e);
    }
  }
  return { claimed, errors };
}
