// The signing keys Cloudflare Access publishes for a team (`https://<team>.cloudflareaccess.com/cdn-cgi/access/certs`),
// kept by `kid`. Keys are refetched when their time is up, and at once when a token names an unknown `kid` (Access
// rotates its key every six weeks) but never more than once per `minRefetchMs`, so tokens with made-up key ids
// cannot turn into a flood of fetches. A failed fetch keeps the keys known so far; with none, nothing verifies.
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { publicKeyFromJwk } from './jwt.ts';

export type FetchJwks = (url: string) => Promise<unknown>;

export interface JwksCacheOptions {
  url: string;
  fetchJwks: FetchJwks;
  now: () => number;
  /** How long fetched keys are trusted before a refresh (Access keeps an old key valid for 7 days after rotation). */
  ttlMs?: number;
  minRefetchMs?: number;
}

export interface JwksCache {
  /** The key for `kid`, fetching the set when it is unknown or stale; undefined when no such key can be had. */
  key(kid: string): Promise<KeyObject | undefined>;
}

export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const ttlMs = options.ttlMs ?? 60 * 60 * 1000;
  const minRefetchMs = options.minRefetchMs ?? 30 * 1000;
  let keys = new Map<string, KeyObject>();
  let fetchedAt = -Infinity;
  let attemptedAt = -Infinity;
  let inFlight: Promise<void> | undefined;

  const refresh = (): Promise<void> => {
    inFlight ??= (async () => {
      attemptedAt = options.now();
      try {
        const fresh = keysOf(await options.fetchJwks(options.url));
        if (fresh.size > 0) {
          keys = fresh;
          fetchedAt = options.now();
        }
      } catch {
        // Fail closed: keys already known keep working, unknown ones stay unknown.
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return {
    async key(kid) {
      const t = options.now();
      const stale = t - fetchedAt >= ttlMs;
      const mayFetch = t - attemptedAt >= minRefetchMs;
      if ((stale || !keys.has(kid)) && mayFetch) await refresh();
      else if (inFlight) await inFlight;
      return keys.get(kid);
    },
  };
}

function keysOf(document: unknown): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const list = typeof document === 'object' && document !== null ? (document as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(list)) return keys;
  for (const jwk of list.slice(0, 32) as JsonWebKey[]) {
    if (typeof jwk?.kid !== 'string' || (jwk.alg !== undefined && jwk.alg !== 'RS256') || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    const key = publicKeyFromJwk(jwk);
    if (key) keys.set(jwk.kid as string, key);
  }
  return keys;
}
