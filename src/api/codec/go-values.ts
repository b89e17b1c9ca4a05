// Go value semantics the codecs need: metav1.Time/MicroTime parsing (time.Parse with RFC3339 /
// RFC3339Micro, its error texts) and formatting, base64.StdEncoding validation, and time from
// protobuf Timestamps. Dates are computed with civil-day arithmetic, not Date, so years 0–9999
// behave as in Go.

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

export class GoValueError extends Error {}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function daysIn(m: number, y: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** An instant as Unix seconds and nanoseconds. */
export interface Instant {
  seconds: number;
  nanos: number;
}

/** RFC3339 in UTC, seconds precision (metav1.Time's JSON form). */
export function formatTime(t: Instant): string {
  const days = Math.floor(t.seconds / 86400);
  const rem = t.seconds - days * 86400;
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(Math.floor(rem / 3600), 2)}:${pad(Math.floor((rem % 3600) / 60), 2)}:${pad(rem % 60, 2)}Z`;
}

/** RFC3339 in UTC with exactly six fractional digits (metav1.MicroTime's JSON form). */
export function formatMicroTime(t: Instant): string {
  const s = formatTime(t);
  return `${s.slice(0, -1)}.${pad(Math.floor(t.nanos / 1000), 6)}Z`;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function parseError(value: string, layout: string, rest: string, elem: string): GoValueError {
  return new GoValueError(`parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(rest)} as ${quote(elem)}`);
}

/**
 * Go's time.Parse(RFC3339 or RFC3339Micro, s): throws GoValueError with Go's message
 * (`parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`).
 */
export function parseRFC3339(value: string, micro = false): Instant {
  const layout = micro ? RFC3339_MICRO : RFC3339;
  let p = 0;
  const num = (width: number, elem: string): number => {
    const part = value.slice(p, p + width);
    if (part.length !== width || !/^[0-9]+$/.test(part)) throw parseError(value, layout, value.slice(p), elem);
    p += width;
    return Number(part);
  };
  const lit = (c: string): void => {
    if (value[p] !== c) throw parseError(value, layout, value.slice(p), c);
    p++;
  };
  const range = (what: string): GoValueError => new GoValueError(`parsing time ${quote(value)}: ${what} out of range`);
  const year = num(4, '2006');
  lit('-');
  const month = num(2, '01');
  if (month < 1 || month > 12) throw range('month');
  lit('-');
  const day = num(2, '02');
  lit('T');
  const hour = num(2, '15');
  if (hour > 23) throw range('hour');
  lit(':');
  const minute = num(2, '04');
  if (minute > 59) throw range('minute');
  lit(':');
  const second = num(2, '05');
  if (second > 59) throw range('second');
  let nanos = 0;
  if (micro) {
    const frac = value.slice(p, p + 7);
    if (!/^[.,][0-9]{6}$/.test(frac)) throw parseError(value, layout, value.slice(p), '.000000');
    nanos = Number(frac.slice(1)) * 1000;
    p += 7;
  } else if ((value[p] === '.' || value[p] === ',') && /[0-9]/.test(value[p + 1] ?? '')) {
    let q = p + 1;
    while (/[0-9]/.test(value[q] ?? '')) q++;
    nanos = Number(value.slice(p + 1, q).slice(0, 9).padEnd(9, '0'));
    p = q;
  }
  let offset = 0;
  if (value[p] === 'Z') p++;
  else {
    const z = value.slice(p, p + 6);
    if (!/^[+-][0-9]{2}:[0-9]{2}$/.test(z)) throw parseError(value, layout, value.slice(p), 'Z07:00');
    const hh = Number(z.slice(1, 3));
    const mm = Number(z.slice(4, 6));
    if (hh > 23 || mm > 59) throw new GoValueError(`parsing time ${quote(value)}: time zone offset out of range`);
    offset = (z[0] === '-' ? -1 : 1) * (hh * 3600 + mm * 60);
    p += 6;
  }
  if (p < value.length) throw new GoValueError(`parsing time ${quote(value)}: extra text: ${quote(value.slice(p))}`);
  if (day < 1 || day > daysIn(month, year)) throw range('day');
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  return { seconds, nanos };
}

const B64 = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) B64[c.charCodeAt(0)] = i;

/**
 * Validates standard padded base64 as Go's base64.StdEncoding.Decode does (CR/LF ignored);
 * returns the error text (`illegal base64 data at input byte 4`) or undefined when valid.
 */
export function base64Error(s: string): string | undefined {
  let quantum = 0;
  let quantumStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) continue;
    if (quantum === 0) quantumStart = i;
    if (c === 61 /* = */) {
      // padding: only in the 3rd or 4th place, then only CR/LF to the end
      if (quantum < 2) return `illegal base64 data at input byte ${i}`;
      let j = i + 1;
      while (j < s.length && (s.charCodeAt(j) === 10 || s.charCodeAt(j) === 13)) j++;
      if (quantum === 2) {
        if (s[j] !== '=') return `illegal base64 data at input byte ${j}`;
        j++;
        while (j < s.length && (s.charCodeAt(j) === 10 || s.charCodeAt(j) === 13)) j++;
      }
      if (j < s.length) return `illegal base64 data at input byte ${j}`;
      return undefined;
    }
    if (c >= 128 || B64[c] === -1) return `illegal base64 data at input byte ${i}`;
    quantum = (quantum + 1) % 4;
  }
  return quantum === 0 ? undefined : `illegal base64 data at input byte ${quantumStart}`;
}
