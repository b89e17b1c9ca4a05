// A strategy is everything kind-specific the generic registry needs: defaulting, preparation
// and validation on create/update, and what a status write may change. Generic machinery finds
// it through `strategyFor(group, kind)` and never branches on kinds itself.
import type { FieldError } from '../errors.js';

/** A Kubernetes object as JSON (apiVersion, kind, metadata, spec, status…). */
export type KObject = Record<string, any> & { metadata?: Record<string, any> };

export interface Strategy {
  /** Upstream's SetDefaults_* for the kind (mutates). Runs on every create and update. */
  default?(obj: KObject): void;
  /** Kind-specific preparation on create (e.g. Pod status.phase Pending, clear a status the client sent). */
  prepareForCreate?(obj: KObject): void;
  /** Kind-specific preparation on update of the main resource. */
  prepareForUpdate?(obj: KObject, old: KObject): void;
  /** Semantic validation of a new object (metadata included: name rules, labels, annotations). */
  validate(obj: KObject): FieldError[];
  /** Semantic validation of an update (immutable fields…), metadata included. */
  validateUpdate(obj: KObject, old: KObject): FieldError[];
  /** Validation of a status-subresource write (obj has old spec and new status). */
  validateStatusUpdate?(obj: KObject, old: KObject): FieldError[];
  /** Finalizers beyond metadata.finalizers that keep a deleted object (Namespace: spec.finalizers). */
  deletionBlockers?(obj: KObject): string[];
  /** Kind-specific changes when deletion starts (Namespace: status.phase Terminating). */
  prepareForDelete?(obj: KObject): void;
  /**
   * Whether names must be DNS-1123 subdomains (default), DNS-1123 labels, DNS-1035 labels (Services),
   * are free-form but safe as a URL path segment (RBAC objects), or are not checked at all.
   */
  nameRule?: 'subdomain' | 'label' | 'dns1035-label' | 'path-segment' | 'any';
  /** Whether objects of the kind live in namespaces (known for kinds with their own strategy). */
  namespaced?: boolean;
}
