// Resource quantities ("500m", "1Gi", "1e3") as exact rationals, with upstream's comparison and
// canonical form (Quantity.String()): decimal values are written with the largest SI suffix that
// keeps an integer mantissa and an exponent multiple of 3; binary values (Ki, Mi…) keep a binary
// suffix when they are whole numbers of at least 1024. Values finer than a nano are rounded up.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** value = num × 10^-scale (scale ≥ 0), reduced so num has no trailing zeros while scale > 0. */
export interface Quantity {
  num: bigint;
  scale: number;
  format: QuantityFormat;
}

const QUANTITY_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|n|u|m|k|M|G|T|P|E)?$/;
const BINARY_POW: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function normalize(q: Quantity): Quantity {
  let { num, scale } = q;
  if (num === 0n) return { num: 0n, scale: 0, format: q.format };
  while (scale > 0 && num % 10n === 0n) {
    num /= 10n;
    scale--;
  }
  return { num, scale, format: q.format };
}

/** Parses a quantity, or returns undefined when it does not match upstream's grammar. */
export function parseQuantity(text: unknown): Quantity | undefined {
  if (typeof text === 'number' && Number.isFinite(text)) text = String(text);
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY_RE.exec(text.trim());
  if (!m) return undefined;
  const [, sign, whole = '', frac = '', suffix = ''] = m;
  if (whole === '' && frac === '') return undefined;
  let num = BigInt(`${whole || '0'}${frac}`);
  let scale = frac.length;
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY_POW) {
    format = 'BinarySI';
    num *= 1024n ** BigInt(BINARY_POW[suffix]!);
  } else {
    let exp: number;
    if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
      format = 'DecimalExponent';
      exp = Number(suffix.slice(1));
    } else {
      exp = DECIMAL_EXP[suffix]!;
    }
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else scale -= exp;
  }
  if (sign === '-') num = -num;
  let q = normalize({ num, scale, format });
  if (q.scale > 9) q = roundUp(q, 9);
  // Binary values below one are written as decimals (upstream avoids "0.5Ki").
  if (q.format === 'BinarySI' && q.num !== 0n && abs(q.num) < 10n ** BigInt(q.scale)) q = { ...q, format: 'DecimalSI' };
  return q;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** Rounds away from zero so that at most `digits` fractional decimal digits remain. */
export function roundUp(q: Quantity, digits: number): Quantity {
  if (q.scale <= digits) return q;
  const div = 10n ** BigInt(q.scale - digits);
  let n = q.num / div;
  if (q.num % div !== 0n) n += q.num < 0n ? -1n : 1n;
  return normalize({ num: n, scale: digits, format: q.format });
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  const scale = Math.max(a.scale, b.scale);
  const an = a.num * 10n ** BigInt(scale - a.scale);
  const bn = b.num * 10n ** BigInt(scale - b.scale);
  return an < bn ? -1 : an > bn ? 1 : 0;
}

export function addQuantity(a: Quantity, b: Quantity): Quantity {
  const scale = Math.max(a.scale, b.scale);
  const num = a.num * 10n ** BigInt(scale - a.scale) + b.num * 10n ** BigInt(scale - b.scale);
  return normalize({ num, scale, format: a.format });
}

export function isZeroQuantity(q: Quantity): boolean {
  return q.num === 0n;
}

export function isWholeNumber(q: Quantity): boolean {
  return q.scale === 0;
}

/** The canonical text of a quantity, as upstream serializes it. */
export function formatQuantity(q: Quantity): string {
  if (q.num === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const small = abs(q.num) < 1024n * 10n ** BigInt(q.scale);
    if (small || q.scale > 0) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let n = q.num;
    let k = 0;
    while (k < BINARY_SUFFIX.length - 1 && n % 1024n === 0n) {
      n /= 1024n;
      k++;
    }
    return `${n}${BINARY_SUFFIX[k]}`;
  }
  // Decimal: strip factors of ten into the exponent, then bring the exponent down to a multiple of 3.
  let n = q.num;
  let exp = -q.scale;
  while (n % 10n === 0n) {
    n /= 10n;
    exp++;
  }
  const r = ((exp % 3) + 3) % 3;
  n *= 10n ** BigInt(r);
  exp -= r;
  if (format === 'DecimalExponent') return exp === 0 ? `${n}` : `${n}e${exp}`;
  const suffix = DECIMAL_SUFFIX[exp];
  return suffix === undefined ? `${n}e${exp}` : `${n}${suffix}`;
}

/** Canonical text of a quantity string; leaves unparseable input unchanged. */
export function canonicalQuantity(text: unknown, roundToMilli = false): unknown {
  const q = parseQuantity(text);
  if (!q) return text;
  return formatQuantity(roundToMilli ? roundUp(q, 3) : q);
}
