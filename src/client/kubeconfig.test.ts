import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig, parseKubeconfig } from './kubeconfig.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('kubeconfig', () => {
  it('reads the current context: server, CA and client certificate data', () => {
    const text = `
apiVersion: v1
kind: Config
current-context: two
clusters:
- name: c1
  cluster: { server: "https://one:6443/", certificate-authority-data: ${b64('CA1')} }
- name: c2
  cluster: { server: "https://127.0.0.1:7443", certificate-authority-data: ${b64('CA2')}, tls-server-name: kubernetes }
contexts:
- name: one
  context: { cluster: c1, user: u1 }
- name: two
  context: { cluster: c2, user: u2 }
users:
- name: u1
  user: { token: abc }
- name: u2
  user: { client-certificate-data: ${b64('CERT')}, client-key-data: ${b64('KEY')} }
`;
    expect(parseKubeconfig(text)).toEqual({ server: 'https://127.0.0.1:7443', ca: 'CA2', cert: 'CERT', key: 'KEY', tlsServerName: 'kubernetes' });
    expect(parseKubeconfig(text, { context: 'one' })).toEqual({ server: 'https://one:6443', ca: 'CA1', token: 'abc' });
    expect(() => parseKubeconfig(text, { context: 'nope' })).toThrow(/context "nope" not found/);
  });

  it('reads file references relative to the kubeconfig', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-'));
    try {
      writeFileSync(join(dir, 'ca.crt'), 'CAFILE');
      writeFileSync(join(dir, 'token'), 'tok\n');
      writeFileSync(
        join(dir, 'config'),
        `clusters: [{name: c, cluster: {server: "https://h:1", certificate-authority: ca.crt, insecure-skip-tls-verify: true}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
users: [{name: u, user: {tokenFile: token}}]
`,
      );
      expect(loadKubeconfig(join(dir, 'config'))).toEqual({ server: 'https://h:1', ca: 'CAFILE', insecureSkipTLSVerify: true, token: 'tok' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
