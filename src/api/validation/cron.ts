// Cron schedules as CronJob accepts them (robfig/cron v3's standard parser): five fields
// (minute hour day-of-month month day-of-week) with lists, ranges, steps, names, '*' and '?', or a
// descriptor (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>),
// optionally prefixed with TZ=<zone> or CRON_TZ=<zone>. Errors carry the parser's messages.

export interface CronSchedule {
  minutes: number[];
  hours: number[];
  daysOfMonth: number[];
  months: number[];
  daysOfWeek: number[];
  /** True when day-of-month / day-of-week was '*' or '?' (cron's "either matches" rule). */
  domStar: boolean;
  dowStar: boolean;
  /** For @every: the fixed interval in milliseconds. */
  everyMs?: number;
  timeZone?: string;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES = Object.fromEntries(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]));
const DOW_NAMES = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]));
const BOUNDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DOW_NAMES },
];

class CronError extends Error {}

/** Go's strconv.Atoi with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new CronError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 9223372036854775807) throw new CronError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

function parseInt_(expr: string): number {
  let n: number;
  try {
    n = atoi(expr);
  } catch (e) {
    throw new CronError(`failed to parse int from ${expr}: ${(e as Error).message}`);
  }
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : parseInt_(expr);
}

function parseRange(expr: string, r: Bounds, out: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r.names);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step: number;
  if (rangeAndStep.length === 1) step = 1;
  else if (rangeAndStep.length === 2) {
    step = parseInt_(rangeAndStep[1]!);
    if (single) end = r.max;
    if (step > 1) star = false;
  } else throw new CronError(`too many slashes: ${expr}`);
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) out.add(i);
  return star;
}

function parseField(text: string, r: Bounds): { values: number[]; star: boolean } {
  const out = new Set<number>();
  let star = false;
  for (const expr of text.split(',').filter((s) => s !== '')) star = parseRange(expr, r, out) || star;
  return { values: [...out].sort((a, b) => a - b), star };
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/** Go's time.ParseDuration, in milliseconds. */
export function parseGoDuration(s: string): number {
  const bad = () => new CronError(`time: invalid duration ${JSON.stringify(s)}`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw bad();
  let total = 0;
  while (rest) {
    const m = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || m[1] === '' || m[1] === '.') {
      if (/^[0-9.]+$/.test(rest)) throw new CronError(`time: missing unit in duration ${JSON.stringify(s)}`);
      throw bad();
    }
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

function isKnownTimeZone(tz: string): boolean {
  if (tz === 'UTC' || tz === 'Local' || tz === '') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function descriptor(spec: string): CronSchedule {
  const all = (r: Bounds) => Array.from({ length: r.max - r.min + 1 }, (_, i) => r.min + i);
  const base = (m: number[], h: number[], dom: number[], mon: number[], dow: number[], domStar: boolean, dowStar: boolean): CronSchedule => ({
    minutes: m, hours: h, daysOfMonth: dom, months: mon, daysOfWeek: dow, domStar, dowStar,
  });
  switch (spec) {
    case '@yearly':
    case '@annually':
      return base([0], [0], [1], [1], all(BOUNDS[4]!), false, true);
    case '@monthly':
      return base([0], [0], [1], all(BOUNDS[3]!), all(BOUNDS[4]!), false, true);
    case '@weekly':
      return base([0], [0], all(BOUNDS[2]!), all(BOUNDS[3]!), [0], true, false);
    case '@daily':
    case '@midnight':
      return base([0], [0], all(BOUNDS[2]!), all(BOUNDS[3]!), all(BOUNDS[4]!), true, true);
    case '@hourly':
      return base([0], all(BOUNDS[1]!), all(BOUNDS[2]!), all(BOUNDS[3]!), all(BOUNDS[4]!), true, true);
  }
  if (spec.startsWith('@every ')) {
    let ms: number;
    try {
      ms = parseGoDuration(spec.slice('@every '.length));
    } catch (e) {
      throw new CronError(`failed to parse duration ${spec}: ${(e as Error).message}`);
    }
    return { ...base([], [], [], [], [], false, false), everyMs: Math.max(1000, Math.floor(ms / 1000) * 1000) };
  }
  throw new CronError(`unrecognized descriptor: ${spec}`);
}

/** Parses a schedule; `error` is the parser's message when it is not valid. */
export function parseCronSchedule(input: string): { schedule?: CronSchedule; error?: string } {
  try {
    if (input.length === 0) throw new CronError('empty spec string');
    let spec = input;
    let timeZone: string | undefined;
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const i = spec.indexOf(' ');
      const eq = spec.indexOf('=');
      const tz = spec.slice(eq + 1, i < 0 ? undefined : i);
      if (i < 0 || !isKnownTimeZone(tz)) throw new CronError(`provided bad location ${tz}: unknown time zone ${tz}`);
      timeZone = tz;
      spec = spec.slice(i).trim();
    }
    if (spec.startsWith('@')) return { schedule: { ...descriptor(spec), timeZone } };
    const fields = spec.split(/\s+/).filter((f) => f !== '');
    if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
    const [mi, h, dom, mon, dow] = fields.map((f, i) => parseField(f, BOUNDS[i]!));
    return {
      schedule: {
        minutes: mi!.values, hours: h!.values, daysOfMonth: dom!.values, months: mon!.values, daysOfWeek: dow!.values,
        domStar: dom!.star, dowStar: dow!.star, timeZone,
      },
    };
  } catch (e) {
    if (e instanceof CronError) return { error: e.message };
    throw e;
  }
}

export { isKnownTimeZone };
