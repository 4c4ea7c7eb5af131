import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The key a client presented, from any of the header forms OpenAI and Anthropic clients use. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1]!.trim();
  }
  for (const name of ['x-api-key', 'api-key'] as const) {
    const value = headers[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function digest(value: string): Buffer {
  // One-shot hashing: no Hash object per call on the request path.
  return hash('sha256', value, 'buffer') as unknown as Buffer;
}

// The expected side is a configured key, the same on every request: its digest is kept instead of recomputed.
// Keyed by the configured value only, never by what a client presents.
const expectedDigests = new Map<string, Buffer>();
const MAX_EXPECTED = 64;

function expectedDigest(expected: string): Buffer {
  let known = expectedDigests.get(expected);
  if (known === undefined) {
    if (expectedDigests.size >= MAX_EXPECTED) expectedDigests.clear();
    known = digest(expected);
    expectedDigests.set(expected, known);
  }
  return known;
}

/** The SHA-256 of a presented key: computed once per request and reused for every comparison and its id. */
export function presentedDigest(presented: string): Buffer {
  return digest(presented);
}

/** Constant-time comparison of a presented key's digest with a configured key. */
export function digestMatches(presented: Buffer, expected: string): boolean {
  if (expected === '') return false;
  return timingSafeEqual(presented, expectedDigest(expected));
}

/** Constant-time comparison: both sides are hashed first so their lengths never leak either. */
export function keysMatch(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return digestMatches(digest(presented), expected);
}

/** A short, non-reversible name for a key, safe to log. */
export function keyId(key: string): string {
  return keyIdFromDigest(digest(key));
}

export function keyIdFromDigest(presented: Buffer): string {
  return `key_${presented.toString('hex', 0, 5)}`;
}
