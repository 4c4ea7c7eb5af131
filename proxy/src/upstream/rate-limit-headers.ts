// How much an upstream has left before it answers 429, read from Anthropic's rate-limit response headers
// (anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}). The tightest
// of them is what counts. Pure.

export interface Capacity {
  /** The smallest remaining share over every limit reported, 0..1. */
  remaining: number;
  /** When that limit refills (ms since the epoch). */
  resetAt: number;
}

const LIMITS = ['requests', 'tokens', 'input-tokens', 'output-tokens'];

type Headers = Record<string, string | string[] | undefined>;

function one(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function resetMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  if (Number.isFinite(at)) return at;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? now + seconds * 1000 : undefined;
}

/** The tightest limit the headers report, or undefined when they report none. */
export function capacityFromHeaders(headers: Headers, now: number): Capacity | undefined {
  let tightest: Capacity | undefined;
  for (const limit of LIMITS) {
    const max = Number(one(headers, `anthropic-ratelimit-${limit}-limit`));
    const left = Number(one(headers, `anthropic-ratelimit-${limit}-remaining`));
    if (!Number.isFinite(max) || !Number.isFinite(left) || max <= 0) continue;
    const remaining = Math.max(0, Math.min(1, left / max));
    const resetAt = resetMs(one(headers, `anthropic-ratelimit-${limit}-reset`), now) ?? now + 60_000;
    if (!tightest || remaining < tightest.remaining) tightest = { remaining, resetAt };
  }
  return tightest;
}

/** A 429 says the upstream has nothing left until retry-after (or a minute when it does not say). */
export function exhaustedCapacity(headers: Headers, now: number): Capacity {
  const retryAfter = Number(one(headers, 'retry-after'));
  const fromHeaders = capacityFromHeaders(headers, now);
  const resetAt = Number.isFinite(retryAfter) && retryAfter >= 0 ? now + retryAfter * 1000 : (fromHeaders?.resetAt ?? now + 60_000);
  return { remaining: 0, resetAt };
}
