// The CRI container log format that containerd and CRI-O write and the kubelet reads:
//   <RFC3339Nano timestamp> <stdout|stderr> <F|P> <content>\n
// `P` marks a piece of a longer line (split at the line-size limit, or cut off when the stream
// ended without a newline); `F` ends a line. Pieces of one line are joined by readers.

export type LogStream = 'stdout' | 'stderr';
export type LogTag = 'F' | 'P';

/** One parsed record. `content` excludes the record's own newline; `full` says a line ends here. */
export interface LogRecord {
  /** The timestamp as written (any fraction length, any zone). */
  time: string;
  /** Nanoseconds since the epoch. */
  timeNs: bigint;
  stream: LogStream;
  full: boolean;
  content: Buffer;
}

/** Nanoseconds since the epoch from the wall clock, with sub-millisecond detail where the host has it. */
export function wallClockNs(): bigint {
  const origin = BigInt(Math.round(performance.timeOrigin * 1000)) * 1000n;
  return origin + BigInt(Math.round(performance.now() * 1_000_000));
}

/** RFC 3339 in UTC with exactly nine fraction digits (a valid RFC3339Nano and sortable as text). */
export function formatTimestampNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const seconds = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
  const frac = (((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, '0');
  return `${seconds}.${frac}Z`;
}

const TIME_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a (lenient) RFC3339Nano timestamp into nanoseconds and its fixed nine-digit spelling. */
export function parseTimestamp(text: string): { ns: bigint; fixed: string } | undefined {
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0');
  return { ns: BigInt(ms) * 1_000_000n + BigInt(frac), fixed: `${m[1]}.${frac}${m[3]}` };
}

/** One record as bytes, ready to append to a log file. */
export function formatRecord(timeNs: bigint, stream: LogStream, tag: LogTag, content: Buffer): Buffer {
  const head = Buffer.from(`${formatTimestampNs(timeNs)} ${stream} ${tag} `);
  return Buffer.concat([head, content, NEWLINE]);
}

const NEWLINE = Buffer.from('\n');

/**
 * Parses one record; `line` may end with its newline or not. Returns undefined for lines that are
 * not CRI records (upstream skips those with a log message). Tags may carry `:`-separated extras.
 */
export function parseRecord(line: Buffer): LogRecord | undefined {
  const sp1 = line.indexOf(0x20);
  if (sp1 < 0) return undefined;
  const sp2 = line.indexOf(0x20, sp1 + 1);
  if (sp2 < 0) return undefined;
  const sp3 = line.indexOf(0x20, sp2 + 1);
  if (sp3 < 0) return undefined;
  const time = line.subarray(0, sp1).toString('latin1');
  const parsed = parseTimestamp(time);
  if (!parsed) return undefined;
  const stream = line.subarray(sp1 + 1, sp2).toString('latin1');
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = line.subarray(sp2 + 1, sp3).toString('latin1').split(':')[0];
  let end = line.length;
  if (end > sp3 && line[end - 1] === 0x0a) end--;
  return { time, timeNs: parsed.ns, stream, full: tag !== 'P', content: line.subarray(sp3 + 1, end) };
}
