// Which upstream an attempt goes to, in order of preference. Pure: the clock and the dice are passed in.
// A conversation stays where its first turn went while that upstream is healthy (prompt caches live per
// account); new conversations are spread by weight, scaled down as an upstream's remaining rate-limit capacity
// runs low, so traffic moves away before a 429 rather than after. Upstreams already tried in this call, drained
// ones and open circuits go last, in that order.
import type { Capacity } from './rate-limit-headers.ts';

export interface Candidate {
  name: string;
  weight: number;
  capacity: Capacity | undefined;
  circuitOpen: boolean;
}

export interface BalanceInput {
  candidates: readonly Candidate[];
  /** Where this conversation went before. */
  sticky: string | undefined;
  /** Upstreams that already failed during this call. */
  tried: ReadonlySet<string>;
  now: number;
  random: () => number;
  /** At or below this remaining share an upstream counts as drained until its limit resets. */
  drainedBelow: number;
}

export function isDrained(capacity: Capacity | undefined, now: number, drainedBelow: number): boolean {
  return capacity !== undefined && now < capacity.resetAt && capacity.remaining <= drainedBelow;
}

/** Weight after capacity: full weight down to half the limit left, then less in proportion. */
export function effectiveWeight(candidate: Candidate, now: number): number {
  const c = candidate.capacity;
  if (!c || now >= c.resetAt) return candidate.weight;
  return candidate.weight * Math.min(1, c.remaining * 2);
}

/** A weighted shuffle: each key is random^(1/weight), highest first; weight 0 only after every weighted one. */
function weightedOrder(candidates: Candidate[], now: number, random: () => number): Candidate[] {
  const keyed = candidates.map((c) => {
    const w = effectiveWeight(c, now);
    return { c, key: w > 0 ? Math.pow(Math.max(random(), Number.MIN_VALUE), 1 / w) : -1 + random() * 1e-9 };
  });
  return keyed.sort((a, b) => b.key - a.key).map((k) => k.c);
}

export function orderUpstreams(input: BalanceInput): string[] {
  const healthy: Candidate[] = [];
  const drained: Candidate[] = [];
  const open: Candidate[] = [];
  const tried: Candidate[] = [];
  for (const c of input.candidates) {
    if (input.tried.has(c.name)) tried.push(c);
    else if (c.circuitOpen) open.push(c);
    else if (isDrained(c.capacity, input.now, input.drainedBelow)) drained.push(c);
    else healthy.push(c);
  }
  const stickyAt = healthy.findIndex((c) => c.name === input.sticky);
  const first = stickyAt >= 0 ? healthy.splice(stickyAt, 1) : [];
  drained.sort((a, b) => a.capacity!.resetAt - b.capacity!.resetAt);
  return [...first, ...weightedOrder(healthy, input.now, input.random), ...drained, ...open, ...tried].map((c) => c.name);
}
