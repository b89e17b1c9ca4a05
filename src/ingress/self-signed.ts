// The fallback serving certificate: what HTTPS clients get when no Ingress TLS Secret covers the
// name they asked for (as ingress-nginx's "Kubernetes Ingress Controller Fake Certificate").
// Generated in memory at start: RSA 2048, self-signed, a year long. RSA on purpose: with an ECDSA
// default certificate, Node/OpenSSL keep serving it over TLS 1.3 even when SNICallback hands over
// a context with an RSA certificate (most TLS Secrets are RSA); an RSA default lets either switch.
import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata polyfill loaded first
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
const x509Crypto = webcrypto as unknown as X509Crypto;
x509.cryptoProvider.set(x509Crypto);

export interface CertKeyPem {
  certPem: string;
  keyPem: string;
}

export const FALLBACK_CERT_CN = 'k8ts Ingress Controller Fake Certificate';

export async function selfSignedCertificate(opts: { commonName?: string; dnsNames?: string[]; days?: number } = {}): Promise<CertKeyPem> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // a positive serial number
  const dns = opts.dnsNames ?? ['ingress.local'];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: [{ CN: [opts.commonName ?? FALLBACK_CERT_CN] }],
    notBefore: new Date(now - 5 * 60_000), // a peer's slightly slow clock still accepts it
    notAfter: new Date(now + (opts.days ?? 365) * 86_400_000),
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]["keys"],
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(dns.map((value) => ({ type: 'dns' as const, value })), false),
    ],
  }, x509Crypto);
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
  return { certPem: cert.toString('pem'), keyPem };
}
