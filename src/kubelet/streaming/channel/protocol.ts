// The WebSocket channel protocol of Kubernetes streams (wsstream): each message is one channel byte
// followed by payload. Binary subprotocols send raw bytes in binary messages; base64 ones send text
// messages whose first character is the channel as an ASCII digit and whose payload is base64.
// v5 adds a CLOSE signal: a message [255, channel] half-closes that channel (e.g. stdin EOF).

export const Channel = { Stdin: 0, Stdout: 1, Stderr: 2, Error: 3, Resize: 4, Close: 255 } as const;

export interface ChannelProtocol {
  /** Sec-WebSocket-Protocol value ('' = the client offered none). */
  name: string;
  codec: 'binary' | 'base64';
  /** v5: the client may half-close a channel with [255, channel]. */
  closeSignal: boolean;
  /** v4+: the error channel carries a JSON Status (exit codes); before, only failure text. */
  statusJson: boolean;
}

const proto = (name: string, codec: 'binary' | 'base64', version: number): ChannelProtocol => ({
  name,
  codec,
  closeSignal: version >= 5,
  statusJson: version >= 4,
});

/** What exec/attach accept over WebSocket, best first. */
export const REMOTE_COMMAND_WS_PROTOCOLS: ChannelProtocol[] = [
  proto('v5.channel.k8s.io', 'binary', 5),
  proto('v4.channel.k8s.io', 'binary', 4),
  proto('v4.base64.channel.k8s.io', 'base64', 4),
  proto('channel.k8s.io', 'binary', 1),
  proto('base64.channel.k8s.io', 'base64', 1),
  proto('', 'binary', 1),
];

/** What port-forward accepts over WebSocket (as the kubelet: v4 channels, no close signal). */
export const PORT_FORWARD_WS_PROTOCOLS: ChannelProtocol[] = [
  proto('v4.channel.k8s.io', 'binary', 4),
  proto('v4.base64.channel.k8s.io', 'base64', 4),
  proto('', 'binary', 4),
];

/** Splits a Sec-WebSocket-Protocol header into its offers, in the client's order. */
export function parseProtocolHeader(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The first offer (in the client's order) that we support; null when none is acceptable. */
export function negotiateChannelProtocol(offered: string[], supported: ChannelProtocol[]): ChannelProtocol | null {
  const offers = offered.length === 0 ? [''] : offered;
  for (const o of offers) {
    const p = supported.find((s) => s.name === o);
    if (p) return p;
  }
  return null;
}

export function encodeChannelMessage(codec: ChannelProtocol['codec'], channel: number, data: Buffer): Buffer | string {
  if (codec === 'base64') return String.fromCharCode(48 + channel) + data.toString('base64');
  const out = Buffer.allocUnsafe(data.length + 1);
  out[0] = channel;
  data.copy(out, 1);
  return out;
}

export type ChannelMessage =
  | { kind: 'data'; channel: number; data: Buffer }
  | { kind: 'close'; channel: number }
  | { kind: 'invalid'; reason: string };

/** Decodes one client message; null for an empty one (ignored, as upstream does). */
export function decodeChannelMessage(p: ChannelProtocol, message: Buffer): ChannelMessage | null {
  if (message.length === 0) return null;
  if (p.closeSignal && message[0] === Channel.Close) {
    if (message.length !== 2) return { kind: 'invalid', reason: `close signal must name one channel, got ${message.length - 1} bytes` };
    return { kind: 'close', channel: message[1]! };
  }
  // Like upstream, the frame type (text or binary) does not matter; the negotiated codec does.
  if (p.codec === 'base64') {
    return { kind: 'data', channel: message[0]! - 48, data: Buffer.from(message.subarray(1).toString('latin1'), 'base64') };
  }
  return { kind: 'data', channel: message[0]!, data: message.subarray(1) };
}
