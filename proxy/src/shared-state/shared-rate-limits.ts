// The rate limiter's windows (RateLimitStore) on SharedState: one counter per key and fixed window, named by
// the window's start, so every replica adds to and reads the same two counters.
import type { RateLimitStore } from '../reliability/rate-limit-store.ts';
import type { SharedState } from './shared-state.ts';

/** Counters outlive the window after theirs by a margin, so a read at the rollover still finds them. */
const MARGIN_MS = 5000;

const windowKey = (key: string, windowStart: number) => `${key}:${windowStart}`;

export function createSharedRateLimitStore(state: SharedState): RateLimitStore {
  return {
    async read(key, windowStart, windowMs) {
      const [current = 0, previous = 0] = await state.counters([windowKey(key, windowStart), windowKey(key, windowStart - windowMs)]);
      return { current: Math.max(0, current), previous: Math.max(0, previous) };
    },
    async add(key, windowStart, windowMs, amount) {
      if (amount === 0) return;
      await state.increment(windowKey(key, windowStart), amount, 2 * windowMs + MARGIN_MS);
    },
  };
}
