// Storage errors mirror etcd's sentinels. Each class carries a stable `code` so the apiserver can map
// it to a Kubernetes Status at the edge without instanceof checks across bundles:
//   KeyExists → 409 AlreadyExists, Conflict → 409 Conflict, NotFound → 404,
//   Compacted → 410 Expired ("too old resource version"), FutureRevision → 504 Timeout/"too large RV".
import type { KeyValue } from './interface.js';

export type StorageErrorCode = 'KeyExists' | 'Conflict' | 'NotFound' | 'Compacted' | 'FutureRevision' | 'Closed';

export abstract class StorageError extends Error {
  abstract readonly code: StorageErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name; // KeyExistsError, ConflictError…
  }
}

/** create() on a key that is live. */
export class KeyExistsError extends StorageError {
  readonly code = 'KeyExists';
  constructor(readonly key: string) {
    super(`key already exists: ${key}`);
  }
}

/** A conditional write whose expected mod revision is not the key's current one. */
export class ConflictError extends StorageError {
  readonly code = 'Conflict';
  constructor(
    readonly key: string,
    /** The key's current value (null when it no longer exists), so callers can retry without a read. */
    readonly current: KeyValue | null,
    readonly expectedModRevision?: number,
  ) {
    super(
      `conflict on ${key}: expected mod revision ${expectedModRevision ?? '?'}, ` +
        `current ${current ? current.modRevision : 'none'}`,
    );
  }
}

/** update()/delete() on a key that does not exist. */
export class NotFoundError extends StorageError {
  readonly code = 'NotFound';
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}

/** A read or watch at a revision whose history was dropped by compaction. */
export class CompactedError extends StorageError {
  readonly code = 'Compacted';
  constructor(
    readonly requestedRevision: number,
    readonly compactedRevision: number,
  ) {
    super(`required revision ${requestedRevision} has been compacted (compacted revision ${compactedRevision})`);
  }
}

/** A read or compaction at a revision the store has not reached yet. */
export class FutureRevisionError extends StorageError {
  readonly code = 'FutureRevision';
  constructor(
    readonly requestedRevision: number,
    readonly currentRevision: number,
  ) {
    super(`required revision ${requestedRevision} is a future revision (current revision ${currentRevision})`);
  }
}

/** Any call after close(); also passed to live watchers when the store closes. */
export class StoreClosedError extends StorageError {
  readonly code = 'Closed';
  constructor() {
    super('store is closed');
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
