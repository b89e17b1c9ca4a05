// What the error stream/channel of exec and attach carries when the session ends. v4+ protocols send
// the JSON of a metav1.Status (as json.Marshal writes it: no kind/apiVersion, empty metadata);
// v1–v3 send only a failure's message text, and nothing on success.

export interface StreamStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: Array<{ reason?: string; message: string }> };
  code?: number;
}

export function successStatus(): StreamStatus {
  return { metadata: {}, status: 'Success' };
}

/** A command that ran and exited non-zero; clients print "command terminated with exit code N". */
export function exitCodeStatus(code: number): StreamStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** The runtime failed to run the session at all (upstream apierrors.NewInternalError). */
export function internalErrorStatus(message: string): StreamStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

/** The bytes to write on the error stream for `status` under a protocol (null: write nothing). */
export function encodeStatus(status: StreamStatus, json: boolean): Buffer | null {
  if (json) return Buffer.from(JSON.stringify(status));
  return status.status === 'Success' ? null : Buffer.from(status.message ?? 'error');
}
