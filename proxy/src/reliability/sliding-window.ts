// Sliding-window rate arithmetic over two fixed windows: the usage "in the last minute" is the current window's
// count plus the previous window's count weighted by how much of it still lies inside the last minute. Two
// counters per key are all a shared store needs (INCRBY on Redis). Pure: time comes in as `now`.

export interface WindowCounts {
  previous: number;
  current: number;
}

export interface WindowVerdict {
  allowed: boolean;
  limit: number;
  /** Units left after this request (whole units). */
  remaining: number;
  /** Milliseconds until the current window rolls over, or until there is room again when refused. */
  resetMs: number;
  /** Milliseconds to wait before this request would fit; 0 when allowed. */
  retryAfterMs: number;
  /** Usage in the sliding window before this request. */
  used: number;
}

export function windowStartOf(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

/** Usage over the last `windowMs`, estimated from the two fixed windows. */
export function slidingUsage(counts: WindowCounts, now: number, windowMs: number): number {
  const elapsed = (now - windowStartOf(now, windowMs)) / windowMs;
  return counts.previous * (1 - elapsed) + counts.current;
}

/**
 * Whether `cost` more units fit under `limit`. A request larger than the whole limit needs the whole limit free
 * (else it could never pass). `limit` 0 means unlimited.
 */
export function checkWindow(input: { counts: WindowCounts; now: number; windowMs: number; limit: number; cost: number }): WindowVerdict {
  const { counts, now, windowMs, limit } = input;
  const start = windowStartOf(now, windowMs);
  const rollover = start + windowMs - now;
  const used = slidingUsage(counts, now, windowMs);
  if (limit <= 0) return { allowed: true, limit: 0, remaining: 0, resetMs: rollover, retryAfterMs: 0, used };
  const cost = Math.min(Math.max(0, input.cost), limit);
  // A hair of tolerance so float weights (0.1 + 0.2) never refuse an exact fit.
  const allowed = used + cost <= limit + 1e-9;
  if (allowed) {
    return { allowed, limit, remaining: Math.max(0, Math.floor(limit - used - cost + 1e-9)), resetMs: rollover, retryAfterMs: 0, used };
  }
  const wait = waitForRoom(counts, now, windowMs, limit - cost);
  return { allowed, limit, remaining: Math.max(0, Math.floor(limit - used + 1e-9)), resetMs: wait, retryAfterMs: wait, used };
}

/** Milliseconds until the sliding usage drops to `target` or below, if nothing more is added. */
export function waitForRoom(counts: WindowCounts, now: number, windowMs: number, target: number): number {
  const start = windowStartOf(now, windowMs);
  const elapsed = (now - start) / windowMs;
  const used = counts.previous * (1 - elapsed) + counts.current;
  const excess = used - target;
  if (excess <= 0) return 0;
  // Within this window, usage falls as the previous window's weight runs out, at `previous` per window.
  if (counts.previous > 0 && excess <= counts.previous * (1 - elapsed)) {
    return Math.ceil((excess / counts.previous) * windowMs);
  }
  // Otherwise: at the rollover the current count becomes the previous one, and falls from there.
  const untilRollover = (1 - elapsed) * windowMs;
  if (counts.current <= target) return Math.ceil(untilRollover);
  const intoNext = 1 - target / counts.current;
  return Math.ceil(untilRollover + intoNext * windowMs);
}
