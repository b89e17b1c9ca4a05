// Selector errors. A malformed label or field selector (or a field label the kind does not support)
// is the client's fault: upstream answers 400 BadRequest with the parser's message verbatim, so
// SelectorError is a StatusError with that code and the generic error path needs no mapping.
import { StatusError } from '../errors.js';

export class SelectorError extends StatusError {
  constructor(message: string) {
    super(400, 'BadRequest', message);
    this.name = 'SelectorError';
  }
}

/** Go's %q for a string: double-quoted with Go escapes (close to JSON, but \x.. for control bytes). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\n': out += '\\n'; continue;
      case '\t': out += '\\t'; continue;
      case '\r': out += '\\r'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/**
 * Go's %#v for a []string, as field errors render a list of values. Upstream copies a selector's
 * values with append(nil, …), so an empty list prints as a nil slice.
 */
export function goStringSlice(values: readonly string[] | undefined | null): string {
  if (!values || values.length === 0) return '[]string(nil)';
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/**
 * One field.Error rendered as upstream does: `<path>: Invalid value: <value>: <detail>`.
 * `value` is already rendered (goQuote / goStringSlice).
 */
export function invalidValue(path: string, renderedValue: string, detail: string): string {
  return `${path}: Invalid value: ${renderedValue}${detail ? `: ${detail}` : ''}`;
}

/** utilerrors.Aggregate: one message alone, several as `[a, b]` (duplicates dropped). */
export function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}
