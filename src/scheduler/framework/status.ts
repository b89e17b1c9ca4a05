// The outcome of running a plugin (upstream's fwk.Status). Expected outcomes are values, not
// exceptions: a Filter that rejects a node answers Unschedulable with reasons; only the
// unexpected (a bug, an API failure) is an Error. `undefined` is Success, as upstream's nil.

export enum Code {
  Success = 'Success',
  /** Something unexpected; the pod is retried after a back-off. */
  Error = 'Error',
  /** The pod does not fit now; preemption may help. */
  Unschedulable = 'Unschedulable',
  /** The pod does not fit and preemption on this node would not help. */
  UnschedulableAndUnresolvable = 'UnschedulableAndUnresolvable',
  /** Permit: the pod waits for approval. */
  Wait = 'Wait',
  /** PreFilter/PreScore: the plugin has nothing to do for this pod; its Filter/Score is skipped. */
  Skip = 'Skip',
  /** The pod waits for something outside the scheduler (like upstream's Pending). */
  Pending = 'Pending',
}

export class Status {
  /** The plugin that produced the status (set by the framework). */
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    readonly error?: Error,
  ) {}

  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }

  static error(err: unknown): Status {
    const e = err instanceof Error ? err : new Error(String(err));
    return new Status(Code.Error, [], e);
  }

  static skip(): Status {
    return new Status(Code.Skip);
  }

  static wait(...reasons: string[]): Status {
    return new Status(Code.Wait, reasons);
  }

  withPlugin(name: string): this {
    this.plugin = name;
    return this;
  }

  /** The reasons, the error's message first (upstream's Reasons()). */
  allReasons(): string[] {
    return this.error ? [this.error.message, ...this.reasons] : [...this.reasons];
  }

  /** Reasons joined with ", " (upstream's Message()). */
  message(): string {
    return this.allReasons().join(', ');
  }

  toString(): string {
    return `${this.code}${this.plugin ? ` (${this.plugin})` : ''}: ${this.message()}`;
  }
}

/** What plugins answer; undefined means Success. */
export type MaybeStatus = Status | undefined;

export function isSuccess(s: MaybeStatus): boolean {
  return s === undefined || s.code === Code.Success;
}

export function isSkip(s: MaybeStatus): boolean {
  return s !== undefined && s.code === Code.Skip;
}

/** Unschedulable or UnschedulableAndUnresolvable (upstream's IsRejected also counts Pending). */
export function isRejected(s: MaybeStatus): boolean {
  return s !== undefined && (s.code === Code.Unschedulable || s.code === Code.UnschedulableAndUnresolvable || s.code === Code.Pending);
}

export function codeOf(s: MaybeStatus): Code {
  return s?.code ?? Code.Success;
}
