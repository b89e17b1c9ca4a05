// Field selectors, with the semantics of apimachinery's pkg/fields: `field=value`, `field==value`
// and `field!=value` terms joined by commas (AND). Values may escape `\,` `\=` and `\\`; nothing
// else is trimmed or interpreted (`a = b` selects field "a " against value " b", as upstream).
// A field missing from an object's attributes reads as "".
//
// Which fields a kind supports, and how aliases are rewritten, is the kind's business
// (see ../fields): the selector exposes its requirements and `transform` for that.
import { SelectorError } from './errors.js';
import { compareStrings } from './requirement.js';

/** `==` is parsed as `=`, as upstream does. */
export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

export type Fields = Readonly<Record<string, string>>;

export class FieldSelector {
  private constructor(readonly requirements: readonly FieldRequirement[]) {}

  static everything(): FieldSelector {
    return new FieldSelector([]);
  }

  /** A selector from requirements as given (no parsing, no validation). */
  static of(requirements: FieldRequirement[]): FieldSelector {
    return new FieldSelector([...requirements]);
  }

  /** `field=value` for one field, as kubectl's `get X -w` asks for metadata.name. */
  static oneTermEqual(field: string, value: string): FieldSelector {
    return new FieldSelector([{ field, operator: '=', value }]);
  }

  matches(fields: Fields): boolean {
    return this.requirements.every((r) => {
      const have = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field]! : '';
      return r.operator === '=' ? have === r.value : have !== r.value;
    });
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** The fields the selector reads, in order (a field may repeat). */
  fields(): string[] {
    return this.requirements.map((r) => r.field);
  }

  /** The value a field must equal, if some requirement pins it. */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  /**
   * Rewrites every term through `fn` (upstream's Transform): it may rename the field or change
   * the value, return ["", ""] to drop the term, or throw to reject the selector.
   */
  transform(fn: (field: string, value: string) => [string, string]): FieldSelector {
    const out: FieldRequirement[] = [];
    for (const r of this.requirements) {
      const [field, value] = fn(r.field, r.value);
      if (field === '' && value === '') continue;
      out.push({ field, operator: r.operator, value });
    }
    return new FieldSelector(out);
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Escapes `\`, `,` and `=` in a value so that it survives parsing. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Undoes escapeFieldValue; an unknown escape or a bare `,`/`=` is an error (SelectorError). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    // Upstream prints the rune with %v, i.e. as its code point number.
    else if (c === ',' || c === '=') throw new SelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas that are not escaped. */
function splitTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): { field: string; op: (typeof TERM_OPERATORS)[number]; rest: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, rest: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/**
 * Parses `?fieldSelector=`. The empty string selects everything. Terms come out sorted by their
 * text, as upstream sorts them. Throws SelectorError with upstream's message on invalid input.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort(compareStrings);
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const value = unescapeFieldValue(t.rest);
    reqs.push({ field: t.field, operator: t.op === '!=' ? '!=' : '=', value });
  }
  return FieldSelector.of(reqs);
}
