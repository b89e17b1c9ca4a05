// Max-in-flight limits (kube-apiserver's --max-requests-inflight 400 and
// --max-mutating-requests-inflight 200): past them a request is answered 429 with Retry-After
// at once rather than queued. Long-running requests (watches) are not counted.
export class InflightLimiter {
  private readonly current = { readOnly: 0, mutating: 0 };

  constructor(private readonly limits = { readOnly: 400, mutating: 200 }) {}

  /** Takes a slot, or returns undefined when the limit is reached. */
  acquire(kind: 'readOnly' | 'mutating'): (() => void) | undefined {
    if (this.current[kind] >= this.limits[kind]) return undefined;
    this.current[kind]++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.current[kind]--;
      }
    };
  }

  inUse(kind: 'readOnly' | 'mutating'): number {
    return this.current[kind];
  }
}
