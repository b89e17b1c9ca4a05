// Label selector requirements (apimachinery's labels.Requirement): a key, an operator and values,
// checked as upstream's NewRequirement does, matched against a label set, and printed canonically.
import { aggregate, goQuote, goStringSlice, invalidValue } from './errors.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';

/** Operators with upstream's spellings (selection.Operator). */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Values as given (string syntax: sorted and de-duplicated, as upstream's parser yields them). */
  readonly values: readonly string[];
}

/**
 * Checks a requirement as upstream's NewRequirement does: the requirement, and the field errors
 * (rendered with upstream's paths `key`, `values`, `values[0][k]`) when it is invalid.
 */
export function checkRequirement(key: string, operator: Operator, values: string[]): { req: Requirement; errors: string[] } {
  const errors: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errors.push(invalidValue('key', goQuote(key), keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errors.push(invalidValue('values', goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errors.push(invalidValue('values', goStringSlice(values), 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errors.push(invalidValue('values', goStringSlice(values), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errors.push(invalidValue('values', goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errors.push(invalidValue(`values[${i}]`, goQuote(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const valErrs = isValidLabelValue(v);
    if (valErrs.length) errors.push(invalidValue(`values[${i}][${key}]`, goQuote(v), valErrs.join('; ')));
  });
  return { req: { key, operator, values }, errors };
}

/** strconv.ParseInt(s, 10, 64), or undefined when it would fail. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return n;
}

export function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(labels[r.key]!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(labels[r.key]!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const have = parseInt64(labels[r.key]!);
      const want = parseInt64(r.values[0]!);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

const OPERATOR_TEXT: Record<Operator, string> = {
  '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '',
};

export function requirementString(r: Requirement): string {
  let s = (r.operator === '!' ? '!' : '') + r.key;
  if (r.operator === 'exists' || r.operator === '!') return s;
  s += OPERATOR_TEXT[r.operator];
  const vals = r.values.length === 1 ? r.values[0]! : [...r.values].sort(compareStrings).join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${vals})` : s + vals;
}

/** Byte-wise string order, as Go's sort.Strings. */
export function compareStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sortByKey(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => compareStrings(a.key, b.key));
}

/** The requirement, or an Error with upstream's aggregated field errors. */
export function validated(key: string, op: Operator, values: string[]): Requirement {
  const { req, errors } = checkRequirement(key, op, values);
  if (errors.length) throw new Error(aggregate(errors));
  return req;
}
