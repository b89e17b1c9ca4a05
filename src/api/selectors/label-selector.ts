// Label selectors, with the semantics of apimachinery's pkg/labels:
//  - the string syntax of `?labelSelector=` (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`,
//    `!a`, and the integer comparisons `a>1`, `a<1`), comma-joined (AND), whitespace tolerant;
//  - the LabelSelector object of specs (matchLabels + matchExpressions);
//  - keys and values validated as upstream, invalid input throwing SelectorError with upstream's text.
// A selector is immutable; requirements are kept sorted by key, as upstream prints them.
import type { LabelSelector as LabelSelectorSpec } from 'kubernetes-types/meta/v1.js';
import { SelectorError, aggregate, goQuote } from './errors.js';
import { parseRequirements } from './label-parser.js';
import {
  checkRequirement,
  compareStrings,
  requirementMatches,
  requirementString,
  sortByKey,
  type Operator,
  type Requirement,
} from './requirement.js';

export { compareStrings, type Operator, type Requirement };

export type Labels = Readonly<Record<string, string>> | undefined | null;

export type { LabelSelectorSpec };

export class LabelSelector {
  private constructor(
    readonly requirements: readonly Requirement[],
    /** True for the selector that matches nothing (a nil LabelSelector in a spec). */
    private readonly nothing = false,
  ) {}

  /** Matches every object. */
  static everything(): LabelSelector {
    return new LabelSelector([]);
  }

  /** Matches no object; prints as "". */
  static nothing(): LabelSelector {
    return new LabelSelector([], true);
  }

  /** A selector from trusted requirements (no validation); they are sorted by key. */
  static of(requirements: Requirement[]): LabelSelector {
    return new LabelSelector(sortByKey([...requirements]));
  }

  /** The equality selector `k=v,…` for a label map (as SelectorFromSet: no validation). */
  static fromSet(labels: Labels): LabelSelector {
    return LabelSelector.of(Object.entries(labels ?? {}).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })));
  }

  matches(labels: Labels): boolean {
    if (this.nothing) return false;
    const l = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, l));
  }

  /** True when the selector does not restrict anything. */
  isEmpty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  /** True for the selector that matches nothing. */
  matchesNothing(): boolean {
    return this.nothing;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }

  /** The single value a key must have (`k=v`, `k==v`, `k in (v)`), if the selector pins one. */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key);
    if (!r) return undefined;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
}

/**
 * Parses the string form (`?labelSelector=`). The empty string selects everything.
 * Throws SelectorError with upstream's message on invalid input.
 */
export function parseLabelSelector(selector: string): LabelSelector {
  let reqs: Requirement[];
  try {
    reqs = parseRequirements(selector);
  } catch (e) {
    throw new SelectorError((e as Error).message);
  }
  return LabelSelector.of(reqs);
}

// ---- the LabelSelector object ------------------------------------------------------------------

const EXPRESSION_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * The selector a spec's LabelSelector denotes (LabelSelectorAsSelector): null/undefined selects
 * nothing, an empty object everything. Throws SelectorError on an invalid key, value or operator.
 */
export function fromLabelSelector(ls: LabelSelectorSpec | null | undefined): LabelSelector {
  if (ls === null || ls === undefined) return LabelSelector.nothing();
  const matchLabels = Object.entries(ls.matchLabels ?? {});
  const expressions = ls.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return LabelSelector.everything();
  const reqs: Requirement[] = [];
  for (const [k, v] of matchLabels) reqs.push(validatedOrThrow(k, '=', [v]));
  for (const expr of expressions) {
    const op = EXPRESSION_OPERATORS[expr.operator];
    if (!op) throw new SelectorError(`${goQuote(String(expr.operator ?? ''))} is not a valid label selector operator`);
    reqs.push(validatedOrThrow(expr.key, op, [...(expr.values ?? [])]));
  }
  return LabelSelector.of(reqs);
}

function validatedOrThrow(key: string, op: Operator, values: string[]): Requirement {
  const { req, errors } = checkRequirement(key ?? '', op, values);
  if (errors.length) throw new SelectorError(aggregate(errors));
  return req;
}

/**
 * The string form of a spec's LabelSelector, as Scale's status.selector carries it
 * (`LabelSelectorAsSelector(s).String()`): "" for null or an empty selector.
 */
export function labelSelectorToString(ls: LabelSelectorSpec | null | undefined): string {
  return fromLabelSelector(ls).toString();
}

/** Another name for labelSelectorToString. */
export const selectorString = labelSelectorToString;

/** metav1.FormatLabelSelector, for printers: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(ls: LabelSelectorSpec | null | undefined): string {
  let s: string;
  try {
    s = fromLabelSelector(ls).toString();
  } catch {
    return '<error>';
  }
  return s === '' ? '<none>' : s;
}

/** labels.FormatLabels, for printers: `a=b,c=d` sorted by key, or "<none>". */
export function formatLabels(labels: Labels): string {
  const s = LabelSelector.fromSet(labels).toString();
  return s === '' ? '<none>' : s;
}
