// metav1.LabelSelector objects ({matchLabels, matchExpressions}): validation with upstream's
// messages, and matching against a label set with LabelSelectorAsSelector's semantics — a nil
// selector matches nothing, an empty one matches everything.
import { FieldError, field } from '../errors.js';
import { asArray, isObj, keysOf, sortedMap, type Obj } from './field.js';
import { validateLabelName, validateLabels } from './object-meta.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

export interface LabelSelectorOptions {
  /** Keep accepting invalid values in expressions (when the old object already had them). */
  allowInvalidLabelValue?: boolean;
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

export interface SelectorRequirementOptions extends LabelSelectorOptions {
  /** Also accept Gt and Lt, with a single value (node selector requirements). */
  numericOperators?: boolean;
}

/** A {key, operator, values} requirement of a label selector (or, with numericOperators, a node selector). */
export function validateLabelSelectorRequirement(req: Obj, path: string, opts: SelectorRequirementOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArray(req.values).map(String);
  const op = req.operator;
  if (op === 'In' || op === 'NotIn') {
    if (values.length === 0) errs.push(field.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (values.length > 0) errs.push(field.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  } else if (opts.numericOperators && (op === 'Gt' || op === 'Lt')) {
    if (values.length !== 1) errs.push(field.required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
  } else {
    errs.push(field.invalid(`${path}.operator`, op ?? '', 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(String(req.key ?? ''), `${path}.key`));
  if (!opts.allowInvalidLabelValue) {
    values.forEach((v, i) => errs.push(...isValidLabelValue(v).map((m) => field.invalid(`${path}.values[${i}]`, v, m))));
  }
  return errs;
}

export function validateLabelSelector(selector: unknown, path: string, opts: LabelSelectorOptions = {}): FieldError[] {
  if (!isObj(selector)) return [];
  const errs = validateLabels(selector.matchLabels, `${path}.matchLabels`);
  asArray(selector.matchExpressions).forEach((req, i) => {
    errs.push(...validateLabelSelectorRequirement(isObj(req) ? req : {}, `${path}.matchExpressions[${i}]`, opts));
  });
  return errs;
}

/** True when a non-nil selector has neither matchLabels nor matchExpressions. */
export function isEmptySelector(selector: unknown): boolean {
  return isObj(selector) && keysOf(selector.matchLabels).length === 0 && asArray(selector.matchExpressions).length === 0;
}

/** Whether LabelSelectorAsSelector would accept the selector (known operators, valid keys and values). */
export function isConvertibleSelector(selector: unknown): boolean {
  if (!isObj(selector)) return true;
  for (const k of keysOf(selector.matchLabels)) {
    if (isQualifiedName(k).length || isValidLabelValue(String(selector.matchLabels[k])).length) return false;
  }
  for (const req of asArray(selector.matchExpressions)) {
    if (!isObj(req) || !OPERATORS.has(req.operator) || isQualifiedName(String(req.key ?? '')).length) return false;
    const values = asArray(req.values);
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) return false;
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) return false;
  }
  return true;
}

/** Whether the selector selects the labels: nil matches nothing, {} matches everything. */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  if (!isObj(selector)) return false;
  const set: Obj = isObj(labels) ? labels : {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(set, k);
  for (const k of keysOf(selector.matchLabels)) {
    if (!has(k) || String(set[k]) !== String(selector.matchLabels[k])) return false;
  }
  for (const req of asArray(selector.matchExpressions)) {
    if (!isObj(req)) return false;
    const key = String(req.key ?? '');
    const values = asArray(req.values).map(String);
    switch (req.operator) {
      case 'In':
        if (!has(key) || !values.includes(String(set[key]))) return false;
        break;
      case 'NotIn':
        if (has(key) && values.includes(String(set[key]))) return false;
        break;
      case 'Exists':
        if (!has(key)) return false;
        break;
      case 'DoesNotExist':
        if (has(key)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A selector as json.Marshal writes metav1.LabelSelector (matchLabels sorted, empty parts omitted). */
export function renderSelector(selector: unknown): unknown {
  if (!isObj(selector)) return null;
  const out: Obj = {};
  if (keysOf(selector.matchLabels).length) out.matchLabels = sortedMap(selector.matchLabels);
  if (asArray(selector.matchExpressions).length) out.matchExpressions = selector.matchExpressions;
  return out;
}
