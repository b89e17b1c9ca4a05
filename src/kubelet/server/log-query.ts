// `GET /containerLogs/...` query → the log reader's options, validated as upstream validates
// PodLogOptions. No I/O; `nowMs` turns sinceSeconds into an instant.
import type { LogOptions } from '../logs/log-options.js';

export interface LogQuery {
  options: LogOptions;
  previous: boolean;
}

const bool = (v: string | null) => v === 'true' || v === '1';

function int(q: URLSearchParams, name: string): number | undefined | { error: string } {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) return { error: `${name}: invalid value "${v}"` };
  return Number(v);
}

export function parseLogQuery(q: URLSearchParams, nowMs: number): LogQuery | { error: string } {
  const tailLines = int(q, 'tailLines');
  const limitBytes = int(q, 'limitBytes');
  const sinceSeconds = int(q, 'sinceSeconds');
  for (const v of [tailLines, limitBytes, sinceSeconds]) if (typeof v === 'object') return v;
  const sinceTime = q.get('sinceTime');
  if (typeof tailLines === 'number' && tailLines < 0) return { error: 'tailLines: must be greater than or equal to 0' };
  if (typeof limitBytes === 'number' && limitBytes < 1) return { error: 'limitBytes: must be greater than 0' };
  if (typeof sinceSeconds === 'number' && sinceSeconds < 1) return { error: 'sinceSeconds: must be greater than 0' };
  if (sinceTime && sinceSeconds !== undefined) return { error: 'at most one of `sinceTime` or `sinceSeconds` may be specified' };
  const options: LogOptions = {};
  if (bool(q.get('follow'))) options.follow = true;
  if (bool(q.get('timestamps'))) options.timestamps = true;
  if (typeof tailLines === 'number') options.tailLines = tailLines;
  if (typeof limitBytes === 'number') options.limitBytes = limitBytes;
  if (typeof sinceSeconds === 'number') options.sinceMs = nowMs - sinceSeconds * 1000;
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(sinceTime)) return { error: `sinceTime: invalid RFC3339 time "${sinceTime}"` };
    options.sinceMs = t;
  }
  return { options, previous: bool(q.get('previous')) };
}
