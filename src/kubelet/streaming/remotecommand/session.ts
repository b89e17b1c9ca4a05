// Runs one exec or attach over streams a transport (SPDY or WebSocket) has set up, then reports the
// outcome on the error stream and ends the session — the transport-independent half of upstream's
// ServeExec/ServeAttach.
import type { Readable, Writable } from 'node:stream';
import type { RuntimeService } from '../../runtime/cri.js';
import { exitCodeStatus, internalErrorStatus, successStatus, type StreamStatus } from './status.js';
import { resizeEvents } from './resize-decoder.js';

/** The client's streams, as a transport delivers them; absent members were not requested. */
export interface RemoteSession {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Raw bytes of the resize stream/channel (JSON objects). */
  resize?: Readable;
  tty: boolean;
  writeStatus(status: StreamStatus): Promise<void>;
  /** Flushes and closes everything; the client sees the end of every stream. */
  finish(): Promise<void>;
}

export type RemoteCommand =
  | { kind: 'exec'; containerId: string; cmd: string[] }
  | { kind: 'attach'; containerId: string };

export async function serveRemoteCommand(runtime: Pick<RuntimeService, 'exec' | 'attach'>, command: RemoteCommand, session: RemoteSession): Promise<StreamStatus> {
  const streams = {
    stdin: session.stdin,
    stdout: session.stdout,
    stderr: session.stderr,
    tty: session.tty,
    resize: session.resize && session.tty ? resizeEvents(session.resize) : undefined,
  };
  const wanted = { tty: session.tty, stdin: !!session.stdin, stdout: !!session.stdout, stderr: !!session.stderr };
  let status: StreamStatus;
  try {
    if (command.kind === 'exec') {
      const code = await runtime.exec({ containerId: command.containerId, cmd: command.cmd, ...wanted }, streams);
      status = code === 0 ? successStatus() : exitCodeStatus(code);
    } else {
      await runtime.attach({ containerId: command.containerId, ...wanted }, streams);
      status = successStatus();
    }
  } catch (err) {
    const what = command.kind === 'exec' ? 'error executing command in container' : 'error attaching to container';
    status = internalErrorStatus(`${what}: ${(err as Error).message}`);
  }
  try {
    await session.writeStatus(status);
  } finally {
    await session.finish();
  }
  return status;
}
