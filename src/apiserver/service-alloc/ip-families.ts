// The cluster-dependent half of upstream's initIPFamilyFields: what a single-stack IPv4 cluster
// refuses. The strategy has already defaulted ipFamilyPolicy and ipFamilies (they do not depend
// on the cluster's ranges); these checks need to know which families the cluster serves.
import { field, type FieldError } from '../../api/errors.js';
import type { KObject } from '../../api/strategies/types.js';

type Obj = Record<string, any>;

/** The families this cluster allocates from (single-stack IPv4). */
const CLUSTER_FAMILIES = ['IPv4'];

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const same = (a: unknown, b: unknown) => JSON.stringify(list(a)) === JSON.stringify(list(b));

/** A PreferDualStack service whose IP fields are untouched is left as it is (no up/downgrade). */
function unchangedPreferDualStack(n: Obj, o: Obj | undefined): boolean {
  if (!o || n.type !== o.type || n.type === 'ExternalName') return false;
  if (n.ipFamilyPolicy !== 'PreferDualStack' || o.ipFamilyPolicy !== 'PreferDualStack') return false;
  return same(n.clusterIPs, o.clusterIPs) && same(n.ipFamilies, o.ipFamilies);
}

export function checkIPFamilies(svc: KObject, old?: KObject): FieldError[] {
  const spec: Obj = svc.spec ?? {};
  if (spec.type === 'ExternalName' || unchangedPreferDualStack(spec, old?.spec)) return [];
  const errs: FieldError[] = [];
  const policy = spec.ipFamilyPolicy;
  if (policy === 'SingleStack') {
    if (list(spec.clusterIPs).length === 2) errs.push(field.invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (list(spec.ipFamilies).length === 2) errs.push(field.invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  if (errs.length) return errs;
  // Headless without a selector may name every family, even on a single-stack cluster.
  if (spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0) return [];
  if (policy === 'RequireDualStack') errs.push(field.invalid('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services'));
  list(spec.ipFamilies).forEach((f, i) => {
    if (!CLUSTER_FAMILIES.includes(String(f))) errs.push(field.invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  return errs;
}
