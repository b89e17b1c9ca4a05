// Label key and value rules, with upstream's messages (apimachinery api/validate/content, v0.35):
// a key is an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 bytes made of
// alphanumerics, '-', '_' and '.', starting and ending alphanumeric; a value is empty or the same
// shape as a name. Each function returns the list of problems (empty when valid).

const KEY_CHAR = '[A-Za-z0-9]';
const KEY_EXT_CHAR = '[-A-Za-z0-9_.]';
const KEY_FMT = `(${KEY_CHAR}${KEY_EXT_CHAR}*)?${KEY_CHAR}`;
const KEY_RE = new RegExp(`^${KEY_FMT}$`);
const KEY_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const KEY_NAME_MAX = 63;

const VALUE_FMT = `(${KEY_FMT})?`;
const VALUE_RE = new RegExp(`^${VALUE_FMT}$`);
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MAX = 63;

const DNS_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN_FMT = `${DNS_LABEL_FMT}(\\.${DNS_LABEL_FMT})*`;
const DNS_SUBDOMAIN_RE = new RegExp(`^${DNS_SUBDOMAIN_FMT}$`);
const DNS_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS_SUBDOMAIN_MAX = 253;

/** Length as Go's len(): bytes of the UTF-8 encoding. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function maxLenError(n: number): string {
  return `must be no more than ${n} bytes`;
}

function regexError(msg: string, re: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${re}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return `${out}regex used for validation is '${re}')`;
}

export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS_SUBDOMAIN_MAX) errs.push(maxLenError(DNS_SUBDOMAIN_MAX));
  if (!DNS_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS_SUBDOMAIN_MSG, DNS_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** Problems with a label key (a "qualified name"). */
export function labelKeyErrors(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a valid label key ${regexError(KEY_MSG, KEY_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > KEY_NAME_MAX) errs.push(`name part ${maxLenError(KEY_NAME_MAX)}`);
  if (!KEY_RE.test(name)) errs.push(`name part ${regexError(KEY_MSG, KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** Problems with a label value. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX) errs.push(maxLenError(LABEL_VALUE_MAX));
  if (!VALUE_RE.test(value)) errs.push(regexError(VALUE_MSG, VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}
