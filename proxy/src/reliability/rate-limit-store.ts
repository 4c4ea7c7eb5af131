// Where rate-limit windows are counted: local memory for one gateway, or a shared store (Redis) so replicas
// count together. Only two fixed-window counters per key are needed (see sliding-window.ts).
import type { WindowCounts } from './sliding-window.ts';

export interface RateLimitStore {
  /** Counts of the window starting at `windowStart` and of the window before it. */
  read(key: string, windowStart: number, windowMs: number): Promise<WindowCounts>;
  /**
   * Adds `amount` (negative to give back) to the window starting at `windowStart`, when that window is still
   * counted; counts expire two windows after they start.
   */
  add(key: string, windowStart: number, windowMs: number, amount: number): Promise<void>;
}

interface Slot {
  start: number;
  current: number;
  previous: number;
}

export function createLocalRateLimitStore(): RateLimitStore {
  const slots = new Map<string, Slot>();

  /** The slot for `key` rolled forward to the window starting at `windowStart`. */
  function rolled(key: string, windowStart: number, windowMs: number): Slot {
    const slot = slots.get(key);
    if (!slot || slot.start < windowStart - windowMs) return { start: windowStart, current: 0, previous: 0 };
    if (slot.start === windowStart - windowMs) return { start: windowStart, current: 0, previous: slot.current };
    return slot;
  }

  return {
    async read(key, windowStart, windowMs) {
      const slot = rolled(key, windowStart, windowMs);
      if (slot.start > windowStart) return { previous: 0, current: 0 };
      return { previous: slot.previous, current: slot.current };
    },
    async add(key, windowStart, windowMs, amount) {
      const existing = slots.get(key);
      const latest = existing && existing.start > windowStart ? existing.start : windowStart;
      const slot = { ...rolled(key, latest, windowMs) };
      if (windowStart === slot.start) slot.current = Math.max(0, slot.current + amount);
      else if (windowStart === slot.start - windowMs) slot.previous = Math.max(0, slot.previous + amount);
      else return;
      slots.set(key, slot);
    },
  };
}
