// Builds a Strategy from a kind's rules: metadata validation (name rule, scope, finalizers) is
// composed in front of the kind's own checks, and repeated messages are dropped as upstream's
// ErrorList.ToAggregate does.
import type { FieldError } from '../errors.js';
import { uniqueErrors } from '../validation/field.js';
import type { NameRule, NameValidator } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta.js';
import type { KObject, Strategy } from './types.js';

export interface KindRules {
  namespaced?: boolean;
  /** Name format (default DNS-1123 subdomain). */
  nameRule?: NameRule;
  /** A custom name check replacing the rule's (the rule is still reported as nameRule). */
  nameFn?: NameValidator;
  /** Core kinds require unqualified finalizers to be standard ones (default true). */
  kubeFinalizers?: boolean;
  default?(obj: KObject): void;
  prepareForCreate?(obj: KObject): void;
  prepareForUpdate?(obj: KObject, old: KObject): void;
  /** Kind-specific checks of a new object; runs after metadata validation. */
  validateSpec?(obj: KObject): FieldError[];
  /** Kind-specific update rules (immutable fields…); runs after the metadata update checks. */
  validateSpecUpdate?(obj: KObject, old: KObject): FieldError[];
  /** Whether an update also runs validateSpec on the new object (default true). */
  revalidateOnUpdate?: boolean;
  /** Checks of a status write, after the metadata update checks. */
  validateStatus?(obj: KObject, old: KObject): FieldError[];
  /** Full replacements, for kinds whose upstream order differs from the composed one. */
  validate?(obj: KObject): FieldError[];
  validateUpdate?(obj: KObject, old: KObject): FieldError[];
}

export function makeStrategy(rules: KindRules): Strategy {
  const metaOpts = () => ({ namespaced: rules.namespaced, nameRule: rules.nameFn ?? rules.nameRule, kubeFinalizers: rules.kubeFinalizers });
  const validate = (obj: KObject): FieldError[] =>
    uniqueErrors(rules.validate ? rules.validate(obj) : [...validateObjectMeta(obj.metadata, metaOpts()), ...(rules.validateSpec?.(obj) ?? [])]);
  const strategy: Strategy = {
    nameRule: rules.nameRule === 'any' ? 'any' : (rules.nameRule ?? 'subdomain'),
    namespaced: rules.namespaced,
    validate,
    validateUpdate(obj, old) {
      if (rules.validateUpdate) return uniqueErrors(rules.validateUpdate(obj, old));
      const errs = validateObjectMetaUpdate(obj.metadata, old.metadata, 'metadata', { kubeFinalizers: rules.kubeFinalizers });
      if (rules.revalidateOnUpdate !== false) errs.push(...(rules.validateSpec?.(obj) ?? []));
      errs.push(...(rules.validateSpecUpdate?.(obj, old) ?? []));
      return uniqueErrors(errs);
    },
    validateStatusUpdate(obj, old) {
      const errs = validateObjectMetaUpdate(obj.metadata, old.metadata, 'metadata', { kubeFinalizers: rules.kubeFinalizers });
      errs.push(...(rules.validateStatus?.(obj, old) ?? []));
      return uniqueErrors(errs);
    },
  };
  if (rules.default) strategy.default = rules.default;
  if (rules.prepareForCreate) strategy.prepareForCreate = rules.prepareForCreate;
  if (rules.prepareForUpdate) strategy.prepareForUpdate = rules.prepareForUpdate;
  return strategy;
}

type Obj = Record<string, any>;

/** obj.spec as an object, created when missing (for defaulting). */
export function specOf(obj: KObject): Obj {
  if (typeof obj.spec !== 'object' || obj.spec === null || Array.isArray(obj.spec)) obj.spec = {};
  return obj.spec;
}

/** A deep copy, for prepare hooks that keep parts of the old object. */
export function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}
