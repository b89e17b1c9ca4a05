// resource.Quantity as upstream parses, prints, compares and rounds it
// (k8s.io/apimachinery/pkg/api/resource): a fixed-point number (here an exact bigint times a power of
// ten) with the suffix format it was written in.
//
// - `parseQuantity` is upstream's ParseQuantity, with its error texts; `readQuantity` reads a decoded
//   JSON value the way Quantity.UnmarshalJSON does (a number's text, a string with spaces trimmed).
// - `quantityString` is upstream's Quantity.String(): canonical form (`1000m` → `1`, `0.5` → `500m`,
//   `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`), except that a string upstream's parser finds already
//   canonical is kept exactly as written (`1e3`, `+1`, `1.` stay as they are).
// - `compareQuantities`, `addQuantities` and `roundUpQuantity` are Cmp, Add and RoundUp.

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export interface Quantity {
  /** The amount is `value × 10^exp`; its sign is the sign of `value`. */
  value: bigint;
  exp: number;
  format: QuantityFormat;
  /** The input string, kept when upstream would print it unchanged. */
  s?: string;
}

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export class QuantityError extends Error {}

/** upstream's resource.Milli: the scale SetDefaults_ResourceList rounds resource lists up to. */
export const MILLI_SCALE = -3;

const DEC_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DEC_BY_EXP = new Map(Object.entries(DEC_SUFFIX).map(([s, e]) => [e, s]));
const BIN_BY_EXP = new Map([[0, ''], ...Object.entries(BIN_SUFFIX).map(([s, e]): [number, string] => [e / 10, s])]);
const MAX_INT64 = (1n << 63n) - 1n;
const SUFFIX_CHARS = 'eEinumkKMGTP';

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

interface Parts {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** upstream's parseQuantityString: sign, numerator (leading zeros stripped), denominator, suffix. */
function splitQuantity(str: string): Parts {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  let num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    let j = pos;
    while (j < end && isDigit(str[j])) j++;
    denom = str.slice(pos, j);
    if (j >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = j;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (pos >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityError(ERR_FORMAT_WRONG);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

function interpretSuffix(s: string): { base: 10 | 2; exponent: number; format: QuantityFormat } {
  const d = DEC_SUFFIX[s];
  if (d !== undefined && Object.hasOwn(DEC_SUFFIX, s)) return { base: 10, exponent: d, format: 'DecimalSI' };
  const b = BIN_SUFFIX[s];
  if (b !== undefined && Object.hasOwn(BIN_SUFFIX, s)) return { base: 2, exponent: b, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?[0-9]+$/.test(s.slice(1))) {
    const n = Number(s.slice(1));
    if (Number.isSafeInteger(n) && Math.abs(n) < 2 ** 31) return { base: 10, exponent: n, format: 'DecimalExponent' };
  }
  throw new QuantityError(ERR_SUFFIX);
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** Parses like upstream's ParseQuantity; throws QuantityError with upstream's messages. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
  if (str === '0') return { value: 0n, exp: 0, format: 'DecimalSI', s: str };
  const { positive, value, num, denom, suffix } = splitQuantity(str);
  const { base, exponent, format } = interpretSuffix(suffix);

  // upstream's int64 fast path decides whether the input string is kept as the printed form.
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else precision = -1;
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const shifted = num + denom;
      const v = BigInt(shifted);
      const result = v * mantissa;
      if (result <= MAX_INT64) {
        const q: Quantity = { value: positive ? result : -result, exp: scale, format };
        if (format === 'BinarySI') {
          if (exponent % 10 === 0 && (v & 7n) !== 0n) q.s = str;
        } else if (scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0') q.s = str;
        return q;
      }
    }
  }

  // General path: exact decimal, rounded up to nano precision, binary capped at 2^63-1.
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(value);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new QuantityError(ERR_NUMERIC);
  const frac = m[3] ?? '';
  let amount = BigInt((m[2] || '0') + frac);
  let exp = -frac.length;
  if (base === 10) exp += exponent;
  else amount <<= BigInt(exponent);
  if (exp < -9 && amount !== 0n) {
    const div = pow10(-9 - exp);
    amount = (amount + div - 1n) / div;
    exp = -9;
  }
  let fmt = format;
  if (fmt === 'BinarySI') {
    if (compareScaled(amount, exp, MAX_INT64) > 0) {
      amount = MAX_INT64;
      exp = 0;
    }
    if (amount !== 0n && compareScaled(amount, exp, 1n) < 0) fmt = 'DecimalSI';
  }
  return { value: m[1] === '-' ? -amount : amount, exp, format: fmt };
}

/**
 * The text Quantity.UnmarshalJSON parses for a decoded JSON value: a number as written, a string
 * with surrounding space trimmed; undefined for any other value.
 */
export function quantityText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  return typeof v === 'number' ? String(v) : undefined;
}

/** A decoded JSON value read as a Quantity, or undefined when it is none (see quantityText). */
export function readQuantity(v: unknown): Quantity | undefined {
  const text = quantityText(v);
  if (text === undefined) return undefined;
  try {
    return parseQuantity(text);
  } catch (e) {
    if (e instanceof QuantityError) return undefined;
    throw e;
  }
}

/** Compares value×10^exp with an integer. */
function compareScaled(value: bigint, exp: number, n: bigint): number {
  const [a, b] = exp >= 0 ? [value * pow10(exp), n] : [value, n * pow10(-exp)];
  return a < b ? -1 : a > b ? 1 : 0;
}

/** upstream's Quantity.String(): the kept input, else the canonical form. */
export function quantityString(q: Quantity): string {
  if (q.s !== undefined) return q.s;
  if (q.value === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    if (compareScaled(q.value, q.exp, -1024n) > 0 && compareScaled(q.value, q.exp, 1024n) < 0) format = 'DecimalSI';
    else if (q.exp < 0 && q.value % pow10(-q.exp) !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let v = q.exp >= 0 ? q.value * pow10(q.exp) : q.value / pow10(-q.exp);
    let e = 0;
    while (v !== 0n && v % 1024n === 0n) {
      v /= 1024n;
      e++;
    }
    // upstream prints no suffix for exponents it has no name for.
    return v.toString() + (BIN_BY_EXP.get(e) ?? '');
  }
  let v = q.value;
  let e = q.exp;
  while (v % 10n === 0n) {
    v /= 10n;
    e++;
  }
  while (e % 3 !== 0) {
    v *= 10n;
    e--;
  }
  if (format === 'DecimalExponent') return v.toString() + (e === 0 ? '' : `e${e}`);
  return v.toString() + (DEC_BY_EXP.get(e) ?? '');
}

/** Parses and prints: the form upstream stores and returns. Throws QuantityError. */
export function canonicalQuantity(s: string): string {
  return quantityString(parseQuantity(s));
}

/** The stored form of a decoded JSON value (see readQuantity); a value that is no quantity is returned unchanged. */
export function canonicalQuantityValue(v: unknown): unknown {
  const q = readQuantity(v);
  return q ? quantityString(q) : v;
}

/** upstream's Cmp: -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const e = Math.min(a.exp, b.exp);
  const x = a.value * pow10(a.exp - e);
  const y = b.value * pow10(b.exp - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** upstream's Add: the exact sum, in a's format (b's when a is zero), printed in canonical form. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const e = Math.min(a.exp, b.exp);
  const value = a.value * pow10(a.exp - e) + b.value * pow10(b.exp - e);
  return { value, exp: e, format: a.value === 0n ? b.format : a.format };
}

/**
 * upstream's RoundUp: the amount rounded away from zero to a multiple of 10^scale (MILLI_SCALE for
 * milli-units). A quantity already that coarse is returned as it is, kept input string included.
 */
export function roundUpQuantity(q: Quantity, scale: number): Quantity {
  if (q.exp >= scale) return q;
  const div = pow10(scale - q.exp);
  let value = q.value / div;
  if (q.value % div !== 0n) value += q.value < 0n ? -1n : 1n;
  return { value, exp: scale, format: q.format };
}

/** Whether the amount is a whole number. */
export function isWholeQuantity(q: Quantity): boolean {
  return q.exp >= 0 || q.value % pow10(-q.exp) === 0n;
}
