// SPDY/3.1 flow control bookkeeping, free of I/O.
//
// Receiving: we tell the peer how much more it may send by WINDOW_UPDATEs as our reader consumes data,
// batched to half a window so a bulk transfer costs one update per 32 KiB rather than one per frame.
// We never punish a peer for overrunning the window: Go's moby/spdystream (kubectl, the API server)
// ignores flow control entirely, sending as fast as it likes and never sending WINDOW_UPDATE itself.
//
// Sending: we keep the window arithmetic always, but only block on it once the peer has shown it does
// flow control (it sent SETTINGS or WINDOW_UPDATE); otherwise a Go peer would stall us at 64 KiB.
export const DEFAULT_INITIAL_WINDOW = 64 * 1024;

export class ReceiveWindow {
  private unacked = 0;

  constructor(private readonly size: number = DEFAULT_INITIAL_WINDOW) {}

  /** Records `n` bytes handed to the reader; returns the WINDOW_UPDATE delta to send now (0 = none yet). */
  consumed(n: number): number {
    this.unacked += n;
    if (this.unacked < this.size / 2) return 0;
    const delta = this.unacked;
    this.unacked = 0;
    return delta;
  }
}

export class SendWindow {
  constructor(private value: number = DEFAULT_INITIAL_WINDOW) {}

  get available(): number {
    return this.value;
  }

  consume(n: number): void {
    this.value -= n;
  }

  /** A WINDOW_UPDATE delta, or the change of SETTINGS_INITIAL_WINDOW_SIZE (may be negative). */
  grow(delta: number): void {
    this.value += delta;
  }
}

/** How many of `wanted` bytes may go out now. */
export function sendable(wanted: number, maxFrame: number, enforce: boolean, ...windows: SendWindow[]): number {
  let n = Math.min(wanted, maxFrame);
  if (enforce) for (const w of windows) n = Math.min(n, w.available);
  return Math.max(0, n);
}
