// PodLogOptions from the query of `GET …/pods/NAME/log`, validated as upstream's
// ValidatePodLogOptions, and turned into the kubelet's /containerLogs query (LogLocation).
import { errors, field, FieldError } from '../../api/errors.js';
import { queryBool, queryInt } from './query-values.js';

export interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  /** RFC 3339, as given. */
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseLogOptions(query: URLSearchParams, podName: string): PodLogOptions {
  const sinceTime = query.get('sinceTime') ?? undefined;
  if (sinceTime !== undefined && sinceTime !== '' && (!RFC3339.test(sinceTime) || Number.isNaN(Date.parse(sinceTime)))) {
    throw errors.badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as "2006"`);
  }
  const opts: PodLogOptions = {
    container: query.get('container') ?? '',
    follow: queryBool(query, 'follow'),
    previous: queryBool(query, 'previous'),
    timestamps: queryBool(query, 'timestamps'),
    sinceSeconds: queryInt(query, 'sinceSeconds'),
    sinceTime: sinceTime || undefined,
    tailLines: queryInt(query, 'tailLines'),
    limitBytes: queryInt(query, 'limitBytes'),
  };
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) errs.push(field.invalid('tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) errs.push(field.invalid('limitBytes', opts.limitBytes, 'must be greater than 0'));
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) {
    errs.push(field.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) {
    errs.push(field.invalid('sinceSeconds', opts.sinceSeconds, 'must be greater than 0'));
  }
  if (errs.length) throw errors.invalid('', 'PodLogOptions', podName, errs);
  return opts;
}

/** The kubelet query for these options, keys sorted as Go's url.Values.Encode() sorts them. */
export function kubeletLogQuery(opts: PodLogOptions): string {
  const q = new URLSearchParams();
  if (opts.follow) q.append('follow', 'true');
  if (opts.limitBytes !== undefined) q.append('limitBytes', String(opts.limitBytes));
  if (opts.previous) q.append('previous', 'true');
  if (opts.sinceSeconds !== undefined) q.append('sinceSeconds', String(opts.sinceSeconds));
  if (opts.sinceTime !== undefined) q.append('sinceTime', new Date(Date.parse(opts.sinceTime)).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (opts.tailLines !== undefined) q.append('tailLines', String(opts.tailLines));
  if (opts.timestamps) q.append('timestamps', 'true');
  return q.toString();
}
