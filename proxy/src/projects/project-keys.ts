// Project API keys: `cgp_` and 32 random characters. Only a SHA-256 hash is stored; the key itself is shown once,
// when it is created. A short prefix lets a person recognise a key in a list without it being usable.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

export const PROJECT_KEY_PREFIX = 'cgp_';
const PREFIX_LENGTH = PROJECT_KEY_PREFIX.length + 4;

export function newProjectKey(): string {
  return `${PROJECT_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
}

export function newKeyId(): string {
  return `pk_${randomBytes(8).toString('hex')}`;
}

export function looksLikeProjectKey(key: string): boolean {
  return key.startsWith(PROJECT_KEY_PREFIX) && key.length > PREFIX_LENGTH;
}

/** Exactly the shape newProjectKey makes: only such a key is worth a remote lookup. */
const WELL_FORMED = /^cgp_[A-Za-z0-9_-]{32}$/;

export function isWellFormedProjectKey(key: string): boolean {
  return WELL_FORMED.test(key);
}

export function keyPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH);
}

export function hashKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** Constant-time comparison of two hex hashes of the same length. */
export function hashesMatch(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
