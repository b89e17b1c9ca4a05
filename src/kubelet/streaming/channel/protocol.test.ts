import { describe, expect, it } from 'vitest';
import { decodeChannelMessage, encodeChannelMessage, negotiateChannelProtocol, parseProtocolHeader, PORT_FORWARD_WS_PROTOCOLS, REMOTE_COMMAND_WS_PROTOCOLS } from './protocol.js';

const v5 = REMOTE_COMMAND_WS_PROTOCOLS[0]!;
const b64 = REMOTE_COMMAND_WS_PROTOCOLS.find((p) => p.name === 'base64.channel.k8s.io')!;

describe('WebSocket channel protocol', () => {
  it('negotiates in the client order among what we support', () => {
    const offer = parseProtocolHeader('v5.channel.k8s.io, v4.channel.k8s.io,channel.k8s.io');
    expect(negotiateChannelProtocol(offer, REMOTE_COMMAND_WS_PROTOCOLS)?.name).toBe('v5.channel.k8s.io');
    expect(negotiateChannelProtocol(offer, PORT_FORWARD_WS_PROTOCOLS)?.name).toBe('v4.channel.k8s.io');
    expect(negotiateChannelProtocol([], REMOTE_COMMAND_WS_PROTOCOLS)).toMatchObject({ name: '', codec: 'binary', statusJson: false });
    expect(negotiateChannelProtocol(['v9.channel.k8s.io'], REMOTE_COMMAND_WS_PROTOCOLS)).toBeNull();
  });

  it('encodes binary and base64 messages', () => {
    expect(encodeChannelMessage('binary', 1, Buffer.from('hi'))).toEqual(Buffer.from([1, 0x68, 0x69]));
    expect(encodeChannelMessage('binary', 3, Buffer.alloc(0))).toEqual(Buffer.from([3]));
    expect(encodeChannelMessage('base64', 2, Buffer.from('hi'))).toBe('2aGk=');
  });

  it('decodes data, the v5 close signal, and base64 input', () => {
    expect(decodeChannelMessage(v5, Buffer.from([0, 0x61]))).toEqual({ kind: 'data', channel: 0, data: Buffer.from('a') });
    expect(decodeChannelMessage(v5, Buffer.from([255, 0]))).toEqual({ kind: 'close', channel: 0 });
    expect(decodeChannelMessage(v5, Buffer.from([255, 0, 1]))).toMatchObject({ kind: 'invalid' });
    expect(decodeChannelMessage(v5, Buffer.alloc(0))).toBeNull();
    expect(decodeChannelMessage(b64, Buffer.from('0aGk='))).toEqual({ kind: 'data', channel: 0, data: Buffer.from('hi') });
    // Before v5, 255 is just an unknown channel.
    const v4 = REMOTE_COMMAND_WS_PROTOCOLS[1]!;
    expect(decodeChannelMessage(v4, Buffer.from([255, 0]))).toEqual({ kind: 'data', channel: 255, data: Buffer.from([0]) });
  });
});
