import type { PeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { parseClientIdentity } from './identity.js';

const peer = (subject: Record<string, string | string[]> | undefined) => ({ subject }) as unknown as PeerCertificate;

describe('parseClientIdentity', () => {
  it.each([
    ['single O', { CN: 'admin', O: 'system:masters' }, { name: 'admin', groups: ['system:masters'] }],
    ['several O', { CN: 'system:node:n1', O: ['system:nodes', 'team-a'] }, { name: 'system:node:n1', groups: ['system:nodes', 'team-a'] }],
    ['no O', { CN: 'jane' }, { name: 'jane', groups: [] }],
    ['several CN: the last wins (Go pkix.Name)', { CN: ['a', 'b'], O: 'g' }, { name: 'b', groups: ['g'] }],
    ['no CN', { O: 'g' }, null],
    ['empty CN', { CN: '', O: 'g' }, null],
  ])('%s', (_name, subject, want) => {
    expect(parseClientIdentity(peer(subject))).toEqual(want);
  });

  it('no certificate', () => {
    expect(parseClientIdentity({} as PeerCertificate)).toBeNull();
    expect(parseClientIdentity(null)).toBeNull();
    expect(parseClientIdentity(undefined)).toBeNull();
  });
});
