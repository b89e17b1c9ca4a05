// The options of `kubectl logs` (core/v1 PodLogOptions) as the node's log reader takes them.
export interface LogOptions {
  follow?: boolean;
  /** Only the last N lines. */
  tailLines?: number;
  /** Only lines at or after this time (ms since the epoch); from sinceSeconds or sinceTime. */
  sinceMs?: number;
  /** Prefix each line with its RFC 3339 nanosecond timestamp. */
  timestamps?: boolean;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
}
