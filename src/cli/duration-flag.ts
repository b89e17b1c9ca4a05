// Go-style duration flags (`40s`, `1m30s`, `500ms`, `1.5h`), as kube-controller-manager's
// --node-monitor-grace-period and kube-scheduler's --leader-elect-* flags are written.
import { InvalidArgumentError } from 'commander';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in a Go duration; throws on anything else (a bare number too, as Go does, except 0). */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new Error(`invalid duration "${text}"`);
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    at = re.lastIndex;
  }
  if (!text) throw new Error('invalid duration ""');
  return total;
}

/** For commander: a duration option's parser. */
export function durationOption(v: string): number {
  try {
    return parseDuration(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** For commander: `--flag`, `--flag=true`, `--flag=false`. */
export function boolOption(v: string | undefined): boolean {
  if (v === undefined || v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new InvalidArgumentError('must be true or false');
}
