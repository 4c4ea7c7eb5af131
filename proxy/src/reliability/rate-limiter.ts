// Per-project limits on requests and tokens per minute, over a RateLimitStore. A request is charged one request
// and its estimated input tokens when admitted; when it ends, the token charge is corrected to what Anthropic
// reported (input, cache and output). Limits are approximate across replicas by design: read and add are two
// steps, which costs at most a few requests of overshoot under a burst and no lock.
import { GatewayError } from '../errors.ts';
import type { RateLimitStore } from './rate-limit-store.ts';
import { checkWindow, windowStartOf, type WindowVerdict } from './sliding-window.ts';

export const RATE_WINDOW_MS = 60_000;

export interface RateLimits {
  /** Requests per minute; 0 = unlimited. */
  rpm: number;
  /** Tokens per minute; 0 = unlimited. */
  tpm: number;
}

export interface RateCharge {
  projectId: string;
  windowStart: number;
  /** Estimated tokens charged; null when the project has no token limit. */
  tokens: number | null;
}

export interface RateDecision {
  allowed: boolean;
  requests: WindowVerdict | null;
  tokens: WindowVerdict | null;
  blockedBy: 'requests' | 'tokens' | null;
  /** What was charged, for settle(); absent when nothing was. */
  charge?: RateCharge;
}

const requestKey = (projectId: string) => `rl:req:${projectId}`;
const tokenKey = (projectId: string) => `rl:tok:${projectId}`;

export class RateLimiter {
  constructor(private readonly store: RateLimitStore, private readonly now: () => number) {}

  /** Checks both limits; when both allow, charges the request and its estimated tokens. */
  async admit(projectId: string, limits: RateLimits, estimatedTokens: number, consume = true): Promise<RateDecision> {
    const now = this.now();
    const windowStart = windowStartOf(now, RATE_WINDOW_MS);
    const [requestCounts, tokenCounts] = await Promise.all([
      limits.rpm > 0 ? this.store.read(requestKey(projectId), windowStart, RATE_WINDOW_MS) : undefined,
      limits.tpm > 0 ? this.store.read(tokenKey(projectId), windowStart, RATE_WINDOW_MS) : undefined,
    ]);
    const requests = requestCounts
      ? checkWindow({ counts: requestCounts, now, windowMs: RATE_WINDOW_MS, limit: limits.rpm, cost: consume ? 1 : 0 })
      : null;
    const tokens = tokenCounts
      ? checkWindow({ counts: tokenCounts, now, windowMs: RATE_WINDOW_MS, limit: limits.tpm, cost: consume ? estimatedTokens : 0 })
      : null;
    const blockedBy = requests && !requests.allowed ? 'requests' : tokens && !tokens.allowed ? 'tokens' : null;
    const decision: RateDecision = { allowed: blockedBy === null, requests, tokens, blockedBy };
    if (decision.allowed && consume) {
      await Promise.all([
        requests ? this.store.add(requestKey(projectId), windowStart, RATE_WINDOW_MS, 1) : undefined,
        tokens ? this.store.add(tokenKey(projectId), windowStart, RATE_WINDOW_MS, estimatedTokens) : undefined,
      ]);
      decision.charge = { projectId, windowStart, tokens: tokens ? estimatedTokens : null };
    }
    return decision;
  }

  /** Corrects the token charge to what the request really used once it has ended. */
  async settle(charge: RateCharge, actualTokens: number): Promise<void> {
    if (charge.tokens === null) return;
    const delta = actualTokens - charge.tokens;
    if (delta === 0) return;
    await this.store.add(tokenKey(charge.projectId), charge.windowStart, RATE_WINDOW_MS, delta);
  }
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/** OpenAI's duration style for the *-reset-* headers: "1s", "6m0s". */
export function durationText(ms: number): string {
  const total = seconds(ms);
  return total >= 60 ? `${Math.floor(total / 60)}m${total % 60}s` : `${total}s`;
}

/**
 * X-RateLimit-Limit / -Remaining / -Reset (seconds) describe the request limit (the token limit when only that
 * is set); OpenAI's -requests and -tokens variants are sent beside them for clients that read those.
 */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const headers: Record<string, string> = {};
  const main = decision.blockedBy === 'tokens' ? decision.tokens : decision.requests ?? decision.tokens;
  if (main) {
    headers['x-ratelimit-limit'] = String(main.limit);
    headers['x-ratelimit-remaining'] = String(main.remaining);
    headers['x-ratelimit-reset'] = String(seconds(main.resetMs));
  }
  for (const [name, verdict] of [['requests', decision.requests], ['tokens', decision.tokens]] as const) {
    if (!verdict) continue;
    headers[`x-ratelimit-limit-${name}`] = String(verdict.limit);
    headers[`x-ratelimit-remaining-${name}`] = String(verdict.remaining);
    headers[`x-ratelimit-reset-${name}`] = durationText(verdict.resetMs);
  }
  return headers;
}

/** The 429 a refused request gets, in OpenAI's shape (or Anthropic's on its routes), with retry-after. */
export function rateLimitError(decision: RateDecision, projectId: string, shape: 'openai' | 'anthropic'): GatewayError {
  const kind = decision.blockedBy ?? 'requests';
  const verdict = (kind === 'tokens' ? decision.tokens : decision.requests)!;
  const unit = kind === 'tokens' ? 'tokens per min (TPM)' : 'requests per min (RPM)';
  const wait = (verdict.retryAfterMs / 1000).toFixed(verdict.retryAfterMs < 10_000 ? 1 : 0);
  return new GatewayError({
    status: 429,
    type: shape === 'anthropic' ? 'rate_limit_error' : kind,
    code: 'rate_limit_exceeded',
    message: `Rate limit reached for project '${projectId}' on ${unit}: Limit ${verdict.limit}, Used ${Math.ceil(verdict.used)}. Please try again in ${wait}s.`,
    headers: {
      ...rateLimitHeaders(decision),
      'retry-after': String(Math.max(1, seconds(verdict.retryAfterMs))),
      'retry-after-ms': String(Math.ceil(verdict.retryAfterMs)),
    },
  });
}
