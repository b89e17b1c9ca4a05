// Allocation outcomes a caller turns into a Status, with upstream's ipallocator/portallocator texts.

export class RangeFullError extends Error {
  readonly code = 'RangeFull';
  constructor() {
    super('range is full');
  }
}

export class AlreadyAllocatedError extends Error {
  readonly code = 'Allocated';
  constructor(what: 'IP' | 'port') {
    super(`provided ${what} is already allocated`);
  }
}

export class NotInRangeError extends Error {
  readonly code = 'NotInRange';
  constructor(message: string) {
    super(message);
  }
}

export type AllocationError = RangeFullError | AlreadyAllocatedError | NotInRangeError;

export function isAllocationError(e: unknown): e is AllocationError {
  return e instanceof RangeFullError || e instanceof AlreadyAllocatedError || e instanceof NotInRangeError;
}
