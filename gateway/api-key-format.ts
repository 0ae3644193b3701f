import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Partner API keys. Format `cng_live_<id>_<secret><checksum>`: a prefix secret scanners can match, a public key id,
 * 24 base62 characters of secret (≈143 random bits) and a 6-character CRC-32 checksum that rejects mistyped or
 * forged keys before any database look-up. Only an HMAC-SHA-256 of the secret (keyed by a server-side pepper) is
 * stored; the key itself is shown once, at creation or rotation. Where keys are kept: api-key-store.ts.
 */
export const KEY_PREFIX = 'cng_live_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_PATTERN = /^cng_live_([0-9A-Za-z]{10})_([0-9A-Za-z]{24})([0-9A-Za-z]{6})$/;

function base62(bytes: Buffer, length: number): string {
  let out = '';
  for (const byte of bytes) {
    if (out.length === length) break;
    // Rejection sampling keeps every character equally likely.
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out.length === length ? out : out + base62(randomBytes(length), length - out.length);
}

function checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** A new public key id. */
export function newKeyId(): string {
  return base62(randomBytes(16), 10);
}

/** A new secret, for a new key or a rotation. */
export function newSecret(): string {
  return base62(randomBytes(32), 24);
}

export function formatKey(id: string, secret: string): string {
  const body = `${KEY_PREFIX}${id}_${secret}`;
  return body + checksum(body);
}

/** The key id and secret of a well-formed key with a valid checksum; null otherwise. */
export function parseKey(key: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const [, id, secret, sum] = match;
  return checksum(`${KEY_PREFIX}${id}_${secret}`) === sum ? { id: id!, secret: secret! } : null;
}

export function hashSecret(secret: string, pepper: string): string {
  return createHmac('sha256', pepper).update(secret).digest('base64url');
}

/** Compares two hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
