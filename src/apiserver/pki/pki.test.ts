import { createPrivateKey, webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, unlink } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import './reflect-shim.js';
import * as x509 from '@peculiar/x509';
import { certSans, issuedBy, keyMatchesCert } from './certs.js';
import {
  ensurePki,
  issueClientCert,
  issueServingCert,
  requiredServerSans,
  type Pki,
} from './pki.js';

const DAY = 24 * 3600 * 1000;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-pki-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const parse = (pem: string) => new x509.X509Certificate(pem);
function ekus(pem: string): string[] {
  return [...(parse(pem).getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [])].map(String);
}
function keyUsage(pem: string): number | undefined {
  return parse(pem).getExtension(x509.KeyUsagesExtension)?.usages;
}
function isCa(pem: string): boolean | undefined {
  return parse(pem).getExtension(x509.BasicConstraintsExtension)?.ca;
}
function validityDays(pem: string): number {
  const c = new NodeX509(pem);
  return (Date.parse(c.validTo) - Date.parse(c.validFrom)) / DAY;
}

describe('ensurePki: first start', () => {
  let pki: Pki;
  const t0 = Date.now();
  beforeEach(async () => {
    pki = await ensurePki({ dir, bindAddress: '192.0.2.10', extraSans: ['api.example.com', '2001:db8::0:1'] });
  });

  it('generates every file, keys PKCS#8 with mode 0600', async () => {
    expect(pki.issued).toEqual(['ca', 'server', 'admin', 'kubelet-client']);
    for (const name of ['ca', 'server', 'admin', 'kubelet-client']) {
      const crt = await readFile(join(dir, `${name}.crt`), 'utf8');
      const key = await readFile(join(dir, `${name}.key`), 'utf8');
      expect(crt).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect((await stat(join(dir, `${name}.key`))).mode & 0o777).toBe(0o600);
      expect(keyMatchesCert(crt, key)).toBe(true);
      const ko = createPrivateKey(key);
      expect(ko.asymmetricKeyType).toBe('ec');
      expect(ko.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    }
    expect(pki.files.caCert).toBe(join(dir, 'ca.crt'));
    expect(pki.ca.certPem).toBe(await readFile(pki.files.caCert, 'utf8'));
  });

  it('CA: self-signed, CN k8ts-ca@<unix time>, CA:TRUE, certSign/cRLSign, 10 years', () => {
    const c = parse(pki.ca.certPem);
    expect(c.subject).toMatch(/^CN=k8ts-ca@\d+$/);
    const t = Number(c.subject.split('@')[1]);
    expect(Math.abs(t - t0 / 1000)).toBeLessThan(120);
    expect(c.issuer).toBe(c.subject);
    expect(isCa(pki.ca.certPem)).toBe(true);
    const ku = keyUsage(pki.ca.certPem)!;
    expect(ku & x509.KeyUsageFlags.keyCertSign).toBeTruthy();
    expect(ku & x509.KeyUsageFlags.cRLSign).toBeTruthy();
    expect(validityDays(pki.ca.certPem)).toBeGreaterThan(3649);
    expect(new NodeX509(pki.ca.certPem).ca).toBe(true);
    expect(issuedBy(pki.ca.certPem, pki.ca.certPem)).toBe(true);
  });

  it('serving cert: CN kube-apiserver, serverAuth only, all SANs, 1 year, issued by the CA', () => {
    const c = parse(pki.server.certPem);
    expect(c.subject).toBe('CN=kube-apiserver');
    expect(ekus(pki.server.certPem)).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(isCa(pki.server.certPem)).toBe(false);
    expect(keyUsage(pki.server.certPem)).toBe(x509.KeyUsageFlags.digitalSignature);
    const sans = certSans(pki.server.certPem);
    expect(sans.dns).toEqual(
      expect.arrayContaining([
        'localhost',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
        hostname().toLowerCase(),
        'api.example.com',
      ]),
    );
    expect(sans.ips).toEqual(expect.arrayContaining(['127.0.0.1', '::1', '192.0.2.10', '10.96.0.1', '2001:db8::1']));
    expect(pki.serverSans).toEqual(sans);
    expect(validityDays(pki.server.certPem)).toBeGreaterThan(364);
    expect(validityDays(pki.server.certPem)).toBeLessThan(366);
    expect(issuedBy(pki.server.certPem, pki.ca.certPem)).toBe(true);
    // Node's own host checks, as an https client would run them
    const n = new NodeX509(pki.server.certPem);
    expect(n.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(n.checkIP('192.0.2.10')).toBe('192.0.2.10');
    expect(n.checkHost('kubernetes.default.svc')).toBe('kubernetes.default.svc');
    expect(n.checkIP('192.0.2.11')).toBeUndefined();
  });

  it('admin cert: CN admin, O system:masters, clientAuth only', () => {
    const c = parse(pki.admin.certPem);
    expect(c.subjectName.getField('CN')).toEqual(['admin']);
    expect(c.subjectName.getField('O')).toEqual(['system:masters']);
    expect(c.issuer).toBe(parse(pki.ca.certPem).subject);
    expect(ekus(pki.admin.certPem)).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(c.getExtension(x509.SubjectAlternativeNameExtension)).toBeNull();
    expect(issuedBy(pki.admin.certPem, pki.ca.certPem)).toBe(true);
  });

  it('kubelet client cert: CN kube-apiserver-kubelet-client, O system:masters, clientAuth only', () => {
    const c = parse(pki.kubeletClient.certPem);
    expect(c.subjectName.getField('CN')).toEqual(['kube-apiserver-kubelet-client']);
    expect(c.subjectName.getField('O')).toEqual(['system:masters']);
    expect(ekus(pki.kubeletClient.certPem)).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(issuedBy(pki.kubeletClient.certPem, pki.ca.certPem)).toBe(true);
    expect(pki.files.kubeletClientCert).toBe(join(dir, 'kubelet-client.crt'));
  });

  it('a restart loads everything as is', async () => {
    const again = await ensurePki({ dir, bindAddress: '192.0.2.10', extraSans: ['api.example.com', '2001:db8::1'] });
    expect(again.issued).toEqual([]);
    expect(again.ca).toEqual(pki.ca);
    expect(again.server).toEqual(pki.server);
    expect(again.admin).toEqual(pki.admin);
    expect(again.kubeletClient).toEqual(pki.kubeletClient);
  });

  it('re-issues only the serving cert when a SAN is now missing', async () => {
    const moved = await ensurePki({ dir, bindAddress: '198.51.100.7', extraSans: ['api.example.com', '2001:db8::1'] });
    expect(moved.issued).toEqual(['server']);
    expect(moved.ca).toEqual(pki.ca);
    expect(moved.admin).toEqual(pki.admin);
    expect(moved.server.keyPem).not.toBe(pki.server.keyPem);
    expect(moved.serverSans.ips).toContain('198.51.100.7');
    expect(moved.serverSans.ips).not.toContain('192.0.2.10');
    expect(issuedBy(moved.server.certPem, pki.ca.certPem)).toBe(true);
    expect(await readFile(join(dir, 'server.crt'), 'utf8')).toBe(moved.server.certPem);
    // a new extra SAN also triggers it; dropping one does not
    expect((await ensurePki({ dir, bindAddress: '198.51.100.7', extraSans: ['api.example.com', '2001:db8::1', 'new.example.com'] })).issued).toEqual(['server']);
    expect((await ensurePki({ dir, bindAddress: '198.51.100.7' })).issued).toEqual([]);
  });

  it('renews leaves (not the CA) within 90 days of expiry', async () => {
    const later = await ensurePki({
      dir,
      bindAddress: '192.0.2.10',
      extraSans: ['api.example.com', '2001:db8::1'],
      now: new Date(Date.now() + 300 * DAY),
    });
    expect(later.issued).toEqual(['server', 'admin', 'kubelet-client']);
    expect(later.ca).toEqual(pki.ca);
  });

  it('re-issues a missing, corrupt or mismatched leaf', async () => {
    await unlink(join(dir, 'admin.crt'));
    await writeFile(join(dir, 'server.crt'), 'garbage');
    const r = await ensurePki({ dir, bindAddress: '192.0.2.10', extraSans: ['api.example.com', '2001:db8::1'] });
    expect(r.issued).toEqual(['server', 'admin']);
    await writeFile(join(dir, 'admin.key'), pki.server.keyPem);
    expect((await ensurePki({ dir, bindAddress: '192.0.2.10', extraSans: ['api.example.com', '2001:db8::1'] })).issued).toEqual(['admin']);
  });

  it('refuses a CA certificate without its key instead of replacing it', async () => {
    await unlink(join(dir, 'ca.key'));
    await expect(ensurePki({ dir, bindAddress: '127.0.0.1' })).rejects.toThrow(/ca\.key/);
    await writeFile(join(dir, 'ca.key'), pki.admin.keyPem);
    await expect(ensurePki({ dir, bindAddress: '127.0.0.1' })).rejects.toThrow(/not the key/);
  });

  it('issues leaves from a new CA when the CA was replaced', async () => {
    await unlink(join(dir, 'ca.crt')); // a lone ca.key: as after a crash during first generation
    const r = await ensurePki({ dir, bindAddress: '192.0.2.10', extraSans: ['api.example.com', '2001:db8::1'] });
    expect(r.issued).toEqual(['ca', 'server', 'admin', 'kubelet-client']);
    expect(issuedBy(r.server.certPem, r.ca.certPem)).toBe(true);
    expect(issuedBy(r.server.certPem, pki.ca.certPem)).toBe(false);
  });
});

describe('requiredServerSans', () => {
  it('skips the unspecified bind addresses and adds a bind host name as DNS', () => {
    for (const bindAddress of ['0.0.0.0', '::', '0:0::0']) {
      const s = requiredServerSans({ bindAddress, hostname: 'node1' });
      expect(s.ips).toEqual(['127.0.0.1', '::1', '10.96.0.1']);
      expect(s.dns).toContain('node1');
    }
    expect(requiredServerSans({ bindAddress: 'Master.Example.COM', hostname: 'n' }).dns).toContain('master.example.com');
    expect(requiredServerSans({ bindAddress: '127.0.0.1', hostname: 'localhost' }).dns.filter((d) => d === 'localhost')).toHaveLength(1);
    expect(requiredServerSans({ bindAddress: 'fd00::0a', hostname: 'n' }).ips).toContain('fd00::a');
  });
});

describe('issuing from an existing PKI', () => {
  it('issueClientCert: CN, every O, days, clientAuth, fresh key', async () => {
    const pki = await ensurePki({ dir, bindAddress: '127.0.0.1' });
    const c = await issueClientCert(pki, { cn: 'system:node:worker-1', organizations: ['system:nodes', 'team-a'], days: 30 });
    const cert = parse(c.certPem);
    expect(cert.subjectName.getField('CN')).toEqual(['system:node:worker-1']);
    expect(cert.subjectName.getField('O')).toEqual(['system:nodes', 'team-a']);
    expect(ekus(c.certPem)).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(validityDays(c.certPem)).toBeCloseTo(30, 0);
    expect(keyMatchesCert(c.certPem, c.keyPem)).toBe(true);
    expect(issuedBy(c.certPem, pki.ca.certPem)).toBe(true);
    // validity never outlives the CA
    expect(Date.parse(new NodeX509((await issueClientCert(pki, { cn: 'x', days: 100_000 })).certPem).validTo)).toBeLessThanOrEqual(
      Date.parse(new NodeX509(pki.ca.certPem).validTo),
    );
  });

  it('issueServingCert: SANs split into DNS/IP, serverAuth (+clientAuth on request)', async () => {
    const pki = await ensurePki({ dir, bindAddress: '127.0.0.1' });
    const c = await issueServingCert(pki, { cn: 'worker-1', sans: ['worker-1', '10.0.0.5'], clientAuth: true });
    expect(certSans(c.certPem)).toEqual({ dns: ['worker-1'], ips: ['10.0.0.5'] });
    expect(ekus(c.certPem)).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('works with a hand-placed SEC1 ("EC PRIVATE KEY") CA key', async () => {
    const first = await ensurePki({ dir, bindAddress: '127.0.0.1' });
    const sec1 = createPrivateKey(first.ca.keyPem).export({ format: 'pem', type: 'sec1' }) as string;
    expect(sec1).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    await writeFile(join(dir, 'ca.key'), sec1);
    await unlink(join(dir, 'server.crt'));
    const r = await ensurePki({ dir, bindAddress: '127.0.0.1' });
    expect(r.issued).toEqual(['server']);
    expect(issuedBy(r.server.certPem, first.ca.certPem)).toBe(true);
  });

  it('works with a hand-placed RSA CA', async () => {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const caCert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=my-rsa-ca',
      keys: keys as never,
      signingAlgorithm: alg,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    const keyPem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs1' }) as string;
    expect(keyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    await writeFile(join(dir, 'ca.crt'), caCert.toString('pem'));
    await writeFile(join(dir, 'ca.key'), keyPem);
    const r = await ensurePki({ dir, bindAddress: '127.0.0.1' });
    expect(r.issued).toEqual(['server', 'admin', 'kubelet-client']);
    expect(issuedBy(r.admin.certPem, r.ca.certPem)).toBe(true);
    expect(parse(r.admin.certPem).issuer).toBe('CN=my-rsa-ca');
  });
});
