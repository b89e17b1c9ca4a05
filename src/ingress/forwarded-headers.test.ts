import { describe, expect, it } from 'vitest';
import { forwardedRequestHeaders, forwardedResponseHeaders } from './forwarded-headers.js';

describe('forwardedRequestHeaders', () => {
  it('sets X-Forwarded-* and drops hop-by-hop headers', () => {
    const out = forwardedRequestHeaders(
      { host: 'a.example.com:8443', connection: 'keep-alive, x-secret', 'keep-alive': 'timeout=5', 'x-secret': '1', te: 'trailers', accept: '*/*' },
      { remoteAddress: '::ffff:127.0.0.1', proto: 'https', port: 8443 },
    );
    expect(out).toEqual({
      host: 'a.example.com:8443', accept: '*/*',
      'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'a.example.com:8443', 'x-forwarded-port': '8443', 'x-real-ip': '127.0.0.1',
    });
  });

  it('appends to an incoming X-Forwarded-For and keeps Upgrade for an upgrade', () => {
    const out = forwardedRequestHeaders(
      { host: 'h', connection: 'Upgrade', upgrade: 'websocket', 'x-forwarded-for': '192.0.2.1' },
      { remoteAddress: '10.1.2.3', proto: 'http', port: 80 },
      { upgrade: true },
    );
    expect(out).toMatchObject({ 'x-forwarded-for': '192.0.2.1, 10.1.2.3', connection: 'Upgrade', upgrade: 'websocket', 'x-forwarded-proto': 'http' });
  });
});

describe('forwardedResponseHeaders', () => {
  it('leaves framing to the server', () => {
    expect(forwardedResponseHeaders({ 'transfer-encoding': 'chunked', connection: 'close', 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] }))
      .toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
  });
});
