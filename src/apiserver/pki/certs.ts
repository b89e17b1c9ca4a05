// Low-level X.509 helpers for the cluster PKI: key generation, key import, certificate issuance and
// inspection. Certificates are built with @peculiar/x509 over Node's WebCrypto; PEM parsing and
// key-format conversions use Node's own KeyObject / X509Certificate (OpenSSL), which is also what
// the TLS server will use, so "Node can load it" is checked by the same code that serves it.
//
// Key encodings (verified by the tests in this folder, see tls.integration.test.ts):
//  - We write private keys as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), ECDSA P-256.
//  - Node's tls.createSecureContext / https.createServer `key` accepts PKCS#8 ("PRIVATE KEY"),
//    SEC1 ("EC PRIVATE KEY") and PKCS#1 ("RSA PRIVATE KEY") PEM; loadPrivateKey() below accepts the
//    same set (whatever crypto.createPrivateKey accepts), so a hand-placed k3s/kubeadm-style SEC1 CA
//    key works too.
//  - kubectl / client-go (Go's tls.X509KeyPair → crypto/tls parsePrivateKey) tries PKCS#1, then
//    PKCS#8 (RSA, ECDSA, Ed25519), then SEC1, and takes the first PEM block whose type is
//    "PRIVATE KEY" or ends in " PRIVATE KEY". So both "PRIVATE KEY" (PKCS#8 EC) and
//    "EC PRIVATE KEY" work in client-key-data; encrypted PEM does not.
//  - Go ignores the subject CN for host verification: the serving certificate must carry SANs
//    (DNS for names, IP for addresses — an IP in a DNS SAN does not match).

import { createPrivateKey, createPublicKey, randomBytes, webcrypto, X509Certificate as NodeX509, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import './reflect-shim.js'; // must precede @peculiar/x509
import * as x509 from '@peculiar/x509';

// Node's webcrypto is a complete WebCrypto; its TS type is Node's own, not the DOM `Crypto`.
type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
export const crypto = webcrypto;
x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);
const x509Crypto = webcrypto as unknown as X509Crypto;

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type EcdsaParams = webcrypto.EcdsaParams;
type Algorithm = webcrypto.Algorithm;

/** A certificate and its private key, both PEM. */
export interface CertKeyPem {
  certPem: string;
  keyPem: string;
}

export interface SubjectAltNames {
  dns: string[];
  ips: string[];
}

export const EC_KEY_ALG: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

/** Backdate notBefore a little so that peers with a slightly slow clock accept fresh certificates. */
const BACKDATE_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SigningKey {
  privateKey: CryptoKey;
  /** The signature algorithm to sign with this key. */
  algorithm: EcdsaParams | Algorithm;
}

/** Generates a fresh ECDSA P-256 key pair and returns it with its PKCS#8 PEM encoding. */
export async function generateKey(): Promise<{ keys: CryptoKeyPair; keyPem: string }> {
  const keys = (await crypto.subtle.generateKey(EC_KEY_ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
  return { keys, keyPem };
}

const CURVES: Record<string, { namedCurve: string; hash: string }> = {
  prime256v1: { namedCurve: 'P-256', hash: 'SHA-256' },
  secp384r1: { namedCurve: 'P-384', hash: 'SHA-384' },
  secp521r1: { namedCurve: 'P-521', hash: 'SHA-512' },
};

/**
 * Imports a PEM private key (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY") as a WebCrypto
 * signing key. ECDSA P-256/384/521 and RSA are supported (RSA signs with PKCS#1 v1.5 + SHA-256).
 */
export async function loadSigningKey(keyPem: string): Promise<SigningKey> {
  const ko = createPrivateKey(keyPem);
  const der = ko.export({ format: 'der', type: 'pkcs8' });
  if (ko.asymmetricKeyType === 'ec') {
    const curve = CURVES[ko.asymmetricKeyDetails?.namedCurve ?? ''];
    if (!curve) throw new Error(`unsupported EC curve ${ko.asymmetricKeyDetails?.namedCurve}`);
    const privateKey = await crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: curve.namedCurve }, false, ['sign']);
    return { privateKey, algorithm: { name: 'ECDSA', hash: curve.hash } };
  }
  if (ko.asymmetricKeyType === 'rsa') {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const privateKey = await crypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
    return { privateKey, algorithm };
  }
  throw new Error(`unsupported CA key type ${ko.asymmetricKeyType}`);
}

/** A random positive 128-bit serial number, hex (first byte 0x01..0x7f: positive and minimal in DER). */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

export interface CreateCaOptions {
  commonName: string;
  days: number;
  now?: Date;
}

/** A self-signed CA: basicConstraints CA (critical), keyUsage digitalSignature|keyCertSign|cRLSign (critical). */
export async function createCa(opts: CreateCaOptions): Promise<CertKeyPem> {
  const now = opts.now ?? new Date();
  const { keys, keyPem } = await generateKey();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: [{ CN: [opts.commonName] }],
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + opts.days * DAY_MS),
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, x509Crypto),
      ],
    },
    x509Crypto,
  );
  return { certPem: cert.toString('pem') + '\n', keyPem };
}

export interface IssueOptions {
  commonName: string;
  organizations?: string[];
  days: number;
  usage: 'server' | 'client' | 'both';
  sans?: SubjectAltNames;
  now?: Date;
}

/** Issues a leaf certificate (fresh P-256 key) signed by the CA `ca`. */
export async function issueCert(ca: CertKeyPem, opts: IssueOptions): Promise<CertKeyPem> {
  const now = opts.now ?? new Date();
  const caCert = new x509.X509Certificate(ca.certPem);
  const signer = await loadSigningKey(ca.keyPem);
  const { keys, keyPem } = await generateKey();

  const ekus: string[] = [];
  if (opts.usage !== 'client') ekus.push(x509.ExtendedKeyUsage.serverAuth);
  if (opts.usage !== 'server') ekus.push(x509.ExtendedKeyUsage.clientAuth);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    // ECDSA keys sign (digitalSignature); keyEncipherment only makes sense for RSA key transport.
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(ekus, false),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, x509Crypto),
  ];
  const caSki = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  extensions.push(
    caSki
      ? new x509.AuthorityKeyIdentifierExtension(caSki.keyId, false)
      : await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, x509Crypto),
  );
  const names: x509.JsonGeneralNames = [
    ...(opts.sans?.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.sans?.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));

  // Subject in Go's pkix.Name order (O before CN), one RDN per value.
  const subject: x509.JsonName = [...(opts.organizations ?? []).map((o) => ({ O: [o] })), { CN: [opts.commonName] }];
  const notAfter = new Date(Math.min(now.getTime() + opts.days * DAY_MS, caCert.notAfter.getTime()));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject,
      // The CA's subject, byte for byte (Go matches issuer to subject on raw bytes).
      issuer: caCert.subjectName,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter,
      publicKey: keys.publicKey,
      signingKey: signer.privateKey,
      signingAlgorithm: signer.algorithm,
      extensions,
    },
    x509Crypto,
  );
  return { certPem: cert.toString('pem') + '\n', keyPem };
}

/** The SANs of a certificate, IPs normalized (see normalizeIp). */
export function certSans(certPem: string): SubjectAltNames {
  const cert = new x509.X509Certificate(certPem);
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const dns: string[] = [];
  const ips: string[] = [];
  for (const n of ext?.names.items ?? []) {
    if (n.type === 'dns') dns.push(n.value.toLowerCase());
    else if (n.type === 'ip') ips.push(normalizeIp(n.value));
  }
  return { dns, ips };
}

/** Canonical text form of an IP address (IPv6 compressed lower-case, e.g. "::1"); other input unchanged. */
export function normalizeIp(ip: string): string {
  const v = isIP(ip);
  if (v === 4) return ip;
  if (v === 6) return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  return ip;
}

/** Whether `keyPem` is the private key of `certPem`. */
export function keyMatchesCert(certPem: string, keyPem: string): boolean {
  try {
    return new NodeX509(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/** Whether `certPem` was issued (name chain + signature) by the CA certificate `caPem`. */
export function issuedBy(certPem: string, caPem: string): boolean {
  try {
    const cert = new NodeX509(certPem);
    const ca = new NodeX509(caPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** Parses a certificate with Node (OpenSSL); throws on garbage. */
export function parseCert(certPem: string): NodeX509 {
  return new NodeX509(certPem);
}

export function publicKeyOf(keyPem: string): KeyObject {
  return createPublicKey(keyPem);
}
