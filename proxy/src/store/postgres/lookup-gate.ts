// Keeps remote key lookups from tying up the Postgres pool: at most `maxConcurrent` at once and `perSecond` started
// per second (a token bucket). A lookup the gate turns away is answered "unknown" at once, as a miss would be, so
// a flood of made-up project keys costs the pool a few lookups a second, never all of its connections.

export interface LookupGate {
  /** True when a lookup may start now; the caller must call `leave()` when it ends. */
  tryEnter(): boolean;
  leave(): void;
}

export function createLookupGate(options: { maxConcurrent: number; perSecond: number; now: () => number }): LookupGate {
  let active = 0;
  let tokens = options.perSecond;
  let refilledAt = options.now();
  return {
    tryEnter() {
      const t = options.now();
      tokens = Math.min(options.perSecond, tokens + ((t - refilledAt) / 1000) * options.perSecond);
      refilledAt = t;
      if (active >= options.maxConcurrent || tokens < 1) return false;
      tokens -= 1;
      active += 1;
      return true;
    },
    leave() {
      active = Math.max(0, active - 1);
    },
  };
}
