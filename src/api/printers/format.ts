// Formatting helpers shared by the printers, each matching what upstream prints: durations
// (apimachinery util/duration), ages of timestamps, container lists, booleans, quantities.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's int(d.Seconds()): truncation toward zero. */
const wholeSeconds = (ms: number) => Math.trunc(ms / SECOND);

/**
 * duration.HumanDuration: about 2–3 significant figures (`45s`, `119s`, `2m5s`, `15m`, `3h5m`,
 * `30h`, `3d4h`, `12d`, `2y180d`, `9y`). Under -1s it is "<invalid>"; a little skew reads "0s".
 */
export function humanDuration(ms: number): string {
  const seconds = wholeSeconds(ms);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = Math.trunc(ms / SECOND) % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** duration.ShortHumanDuration: one unit only (`59s`, `5m`, `23h`, `364d`, `2y`). */
export function shortHumanDuration(ms: number): string {
  const seconds = wholeSeconds(ms);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(ms / HOUR / 24 / 365)}y`;
}

const ZERO_TIME = new Date(0).setUTCFullYear(1, 0, 1);
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an RFC 3339 timestamp (metav1.Time or MicroTime), or undefined when unset/invalid. */
export function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const m = RFC3339.exec(ts);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const date = new Date(0);
  date.setUTCFullYear(+y!, +mo! - 1, +d!); // setUTCFullYear keeps years < 100 as they are
  date.setUTCHours(+h!, +mi!, +s!, 0);
  let t = date.getTime();
  if (frac) t += Math.trunc(Number(`0${frac}`) * 1000);
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone![0] === '-' ? -1 : 1;
    t -= sign * (Number(zone!.slice(1, 3)) * HOUR + Number(zone!.slice(4, 6)) * MINUTE);
  }
  // The zero time (0001-01-01T00:00:00Z) is "unset", as Go's IsZero.
  return t === ZERO_TIME ? undefined : t;
}

/** translateTimestampSince: the age of a timestamp, "<unknown>" when unset. */
export function since(ts: unknown, now: number): string {
  const t = parseTime(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

/** Names and images of containers, each comma-joined. */
export function containerCells(containers: readonly { name?: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** printBool. */
export function boolText(v: boolean | undefined): string {
  return v ? 'True' : 'False';
}

/** printBoolPtr: "<unset>" when absent. */
export function boolPtrText(v: boolean | undefined | null): string {
  return v === undefined || v === null ? '<unset>' : boolText(v);
}

/** A resource quantity as printed (its string form; an absent quantity is "0"). */
export function quantity(q: unknown): string {
  if (typeof q === 'string' && q !== '') return q;
  if (typeof q === 'number') return String(q);
  return '0';
}

/** An int-or-string (`3`, `25%`). */
export function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
}

/** net.JoinHostPort: brackets around IPv6 hosts. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `a,b,c + 2 more...`, or "<unset>" for an empty list (listWithMoreString). */
export function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const s = list.join(',');
  if (more) return `${s} + ${count - max} more...`;
  return s === '' ? '<unset>' : s;
}

/** int64 cells: numbers as integers, absent as 0. */
export function int(v: unknown): number {
  return typeof v === 'number' ? Math.trunc(v) : 0;
}
