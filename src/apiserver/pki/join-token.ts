// The join token agents present to get their credentials, k3s style: `K10<ca-hash>::server:<secret>`.
// The CA hash (sha256 of the CA certificate PEM) lets an agent check the CA it is handed; the secret
// is what the server checks. It is created once at first start in `<data-dir>/token` (mode 0600) and
// read back on later starts, so agents keep working across restarts.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './pki.js';

const PREFIX = 'K10';
const SEPARATOR = '::server:';

export interface JoinToken {
  /** The full token to give agents (`k8ts agent --token`). */
  token: string;
  /** Whether `presented` (the full token, or its bare secret) is this token. Constant time. */
  matches(presented: string): boolean;
}

export function caHash(caPem: string): string {
  return createHash('sha256').update(caPem).digest('hex');
}

/** Splits a token into its CA hash (absent for a bare secret) and secret. */
export function parseJoinToken(token: string): { caHash?: string; secret: string } {
  const t = token.trim();
  const i = t.indexOf(SEPARATOR);
  if (t.startsWith(PREFIX) && i > 0) return { caHash: t.slice(PREFIX.length, i), secret: t.slice(i + SEPARATOR.length) };
  return { secret: t };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** A token object over a known secret (tests, and what ensureJoinToken returns). */
export function joinToken(caPem: string, secret: string): JoinToken {
  const hash = caHash(caPem);
  const want = digest(secret);
  return {
    token: `${PREFIX}${hash}${SEPARATOR}${secret}`,
    matches(presented) {
      const p = parseJoinToken(presented);
      // Digests have equal length, so the comparison time does not depend on the input.
      const secretOk = timingSafeEqual(digest(p.secret), want);
      const hashOk = p.caHash === undefined || timingSafeEqual(digest(p.caHash), digest(hash));
      return secretOk && hashOk && p.secret.length > 0;
    },
  };
}

/** Reads `path`, or creates it with a fresh random secret. */
export async function ensureJoinToken(path: string, caPem: string): Promise<JoinToken> {
  let text: string | undefined;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text) {
    const p = parseJoinToken(text);
    if (!p.secret) throw new Error(`${path}: empty token secret`);
    if (p.caHash !== undefined && p.caHash !== caHash(caPem)) {
      throw new Error(`${path}: the token was made for another CA; remove it to create a new one`);
    }
    return joinToken(caPem, p.secret);
  }
  const token = joinToken(caPem, randomBytes(16).toString('hex'));
  await writeFileAtomic(path, token.token + '\n', 0o600);
  return token;
}
