// The pod-template-hash: upstream's controller.ComputeHash — FNV-1a (32 bit) over the pod
// template, then the collision count as 8 little-endian bytes (only the low 4 set), and the
// decimal value rendered with rand.SafeEncodeString's alphabet (no vowels, no 0/1/3, so a hash
// never spells a word nor looks like a number).
//
// Upstream feeds FNV with go-spew's dump of the Go struct; that rendering is Go-specific (type
// names, nil pointers, field order of every API version), so k8ts feeds it a canonical JSON
// rendering instead (sorted keys, empty values dropped). The hash is only a name suffix and a
// selector label: ReplicaSets are matched to a Deployment by template equality (ignoring the
// hash label), never by recomputing it, exactly as upstream does across its own upgrades.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a, 32 bit, continuing from `h` (the offset basis by default). */
export function fnv32a(bytes: Uint8Array, h = FNV32_OFFSET): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each byte mapped into the safe alphabet (same length). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += SAFE_ALPHABET[b % SAFE_ALPHABET.length];
  return out;
}

/** The template hash used for the `pod-template-hash` label and the ReplicaSet name suffix. */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJSON(template ?? {}), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}

/** JSON with sorted keys and without null/undefined/empty values, so equal templates hash alike. */
export function canonicalJSON(v: unknown): string {
  return JSON.stringify(canonical(v)) ?? 'null';
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (isEmpty(c)) continue;
      out[k] = c;
    }
    return out;
  }
  return v;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}
