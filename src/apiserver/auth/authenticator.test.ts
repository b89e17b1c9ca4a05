import { describe, it, expect } from 'vitest';
import type { Req } from '../http/types.js';
import { ANONYMOUS, authenticate } from './authenticator.js';

/** A TLS socket as far as authentication looks at it. */
function socket(authorized: boolean, subject?: Record<string, string | string[]>) {
  const s = { authorized, reads: 0, getPeerCertificate: () => (s.reads++, subject ? { subject } : {}) };
  return s;
}

const http1 = (sock: unknown) => ({ socket: sock, headers: {} }) as unknown as Req;
const http2 = (sock: unknown) => ({ socket: { proxy: true }, stream: { session: { socket: sock } }, headers: {} }) as unknown as Req;

describe('authenticate (x509)', () => {
  it('CN is the user and each O a group, plus system:authenticated', () => {
    expect(authenticate(http1(socket(true, { CN: 'admin', O: 'system:masters' })))).toEqual({ name: 'admin', groups: ['system:masters', 'system:authenticated'] });
    expect(authenticate(http1(socket(true, { CN: 'system:node:n1', O: ['system:nodes', 'extra'] })))).toEqual({ name: 'system:node:n1', groups: ['system:nodes', 'extra', 'system:authenticated'] });
    expect(authenticate(http1(socket(true, { CN: 'alice' })))).toEqual({ name: 'alice', groups: ['system:authenticated'] });
  });

  it('reads the session socket of an HTTP/2 request', () => {
    expect(authenticate(http2(socket(true, { CN: 'bob', O: 'dev' })))).toEqual({ name: 'bob', groups: ['dev', 'system:authenticated'] });
  });

  it('is anonymous without a verified certificate', () => {
    expect(authenticate(http1(socket(false, { CN: 'mallory' })))).toEqual(ANONYMOUS);
    expect(authenticate(http1(socket(true)))).toEqual(ANONYMOUS);
    expect(authenticate(http1(socket(true, { O: 'system:masters' })))).toEqual(ANONYMOUS);
    expect(authenticate(http1({}))).toEqual(ANONYMOUS);
    expect(authenticate(http1(undefined))).toEqual(ANONYMOUS);
    expect(ANONYMOUS).toEqual({ name: 'system:anonymous', groups: ['system:unauthenticated'] });
  });

  it('reads the certificate once per connection', () => {
    const s = socket(true, { CN: 'carol' });
    authenticate(http1(s));
    authenticate(http1(s));
    authenticate(http2(s));
    expect(s.reads).toBe(1);
    const other = socket(true, { CN: 'dave' });
    expect(authenticate(http1(other)).name).toBe('dave');
  });
});
