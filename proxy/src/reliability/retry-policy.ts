// When to try an upstream call again and how long to wait first. Pure: randomness and time come in as values.

export interface RetrySettings {
  enabled: boolean;
  /** Attempts per model, the first included. */
  maxAttempts: number;
  baseMs: number;
  /** Longest wait; a retry-after beyond it is not waited for. */
  maxDelayMs: number;
}

/** Upstream statuses worth another try: rate limits, server errors, overload (529 is Anthropic's). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504, 529]);

/**
 * Exponential backoff with "equal jitter": half of base·2^(n-1) is fixed, half is random, so retries from many
 * clients spread out but none retries at once. `attempt` is the number of the attempt that just failed (1-based).
 */
export function backoffDelayMs(attempt: number, settings: Pick<RetrySettings, 'baseMs' | 'maxDelayMs'>, random: () => number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseMs * 2 ** Math.max(0, attempt - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}

/** `retry-after-ms`, or `retry-after` as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfterMs(headers: Record<string, string | undefined>, nowMs: number): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Math.round(Number(ms));
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

export interface FailureFacts {
  retryable: boolean;
  /** The model said it is overloaded: another model may answer at once. */
  overloaded: boolean;
  retryAfterMs?: number;
}

export type RetryPlan =
  | { action: 'retry'; delayMs: number }
  | { action: 'fallback'; why: 'overloaded' | 'failing' | 'retry-after too long' }
  | { action: 'give_up' };

/**
 * After a failed attempt on one model: wait and retry it, move on to the next model in the fallback chain, or
 * give up. An overloaded model is left at once when there is somewhere to go; a retry-after longer than the
 * longest wait is never waited for (the client gets it and decides).
 */
export function planAfterFailure(input: {
  failure: FailureFacts;
  /** Attempts made on this model so far, the failed one included. */
  attemptsOnModel: number;
  settings: RetrySettings;
  hasFallback: boolean;
  random: () => number;
}): RetryPlan {
  const { failure, attemptsOnModel, settings, hasFallback } = input;
  if (!failure.retryable) return { action: 'give_up' };
  if (failure.overloaded && hasFallback) return { action: 'fallback', why: 'overloaded' };
  const retriesLeft = settings.enabled && attemptsOnModel < settings.maxAttempts;
  if (!retriesLeft) return hasFallback ? { action: 'fallback', why: 'failing' } : { action: 'give_up' };
  if (failure.retryAfterMs !== undefined) {
    if (failure.retryAfterMs > settings.maxDelayMs) return hasFallback ? { action: 'fallback', why: 'retry-after too long' } : { action: 'give_up' };
    return { action: 'retry', delayMs: failure.retryAfterMs };
  }
  return { action: 'retry', delayMs: backoffDelayMs(attemptsOnModel, settings, input.random) };
}
