// The prompt cache and its billing arithmetic.
//
// Facts from "Prompt caching" (platform.claude.com), in our words:
// - A request writes one entry per breakpoint: the hash of the prefix ending at that block. Nothing is
//   written at earlier positions.
// - Reads look for entries earlier requests wrote: at each breakpoint, and walking back one block at a
//   time, at most 20 positions per breakpoint (the breakpoint itself counts as the first). The longest
//   prefix found is read.
// - Prefixes shorter than the model's minimum cacheable length are never written, silently.
// - Entries live 5 minutes (or 1 hour with ttl "1h"), counted from the start of the request that wrote or
//   last read them; a read refreshes the lifetime.
// - Billing with mixed TTLs: A = tokens at the longest hit (0 if none), B = tokens at the last 1h
//   breakpoint after A (else A), C = tokens at the last breakpoint (else A). Read A, write (B - A) at the
//   1h rate and (C - B) at the 5m rate; input_tokens is everything after the last breakpoint.
import type { CacheTtl, PromptLayout } from './prompt-layout.ts';

export const LOOKBACK_BLOCKS = 20;
const TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

interface Entry {
  expiresAt: number;
  ttl: CacheTtl;
}

export function uncachedUsage(totalTokens: number): CacheUsage {
  return {
    input_tokens: totalTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  };
}

export class PromptCache {
  private readonly entries = new Map<string, Entry>();
  private appliedSinceSweep = 0;

  constructor(private readonly now: () => number) {}

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private live(hash: string, at: number): Entry | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.expiresAt <= at) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry;
  }

  /** Positions the lookback checks, longest first. */
  private lookbackPositions(layout: PromptLayout): number[] {
    const positions = new Set<number>();
    for (const { position } of layout.breakpoints) {
      for (let p = position; p > position - LOOKBACK_BLOCKS && p >= 0; p--) positions.add(p);
    }
    return [...positions].sort((a, b) => b - a);
  }

  /** Reads and writes the cache for one request and returns its usage numbers. */
  apply(layout: PromptLayout, minTokens: number): CacheUsage {
    const at = this.now();
    this.sweepNow(at);
    if (layout.breakpoints.length === 0) return uncachedUsage(layout.totalTokens);

    let hit = -1;
    for (const position of this.lookbackPositions(layout)) {
      const entry = this.live(layout.hashes[position]!, at);
      if (entry) {
        entry.expiresAt = at + TTL_MS[entry.ttl];
        hit = position;
        break;
      }
    }
    const read = hit >= 0 ? layout.cumulative[hit]! : 0;

    let oneHourEnd = read;
    let lastEnd = read;
    for (const { position, ttl } of layout.breakpoints) {
      const tokens = layout.cumulative[position]!;
      if (position === hit && ttl === '1h') {
        const entry = this.entries.get(layout.hashes[position]!)!;
        entry.ttl = '1h';
        entry.expiresAt = at + TTL_MS['1h'];
      }
      if (position <= hit || tokens < minTokens) continue;
      this.entries.set(layout.hashes[position]!, { expiresAt: at + TTL_MS[ttl], ttl });
      lastEnd = tokens;
      if (ttl === '1h') oneHourEnd = tokens;
    }

    const written1h = oneHourEnd - read;
    const written5m = lastEnd - oneHourEnd;
    return {
      input_tokens: layout.totalTokens - lastEnd,
      cache_creation_input_tokens: written1h + written5m,
      cache_read_input_tokens: read,
      cache_creation: { ephemeral_5m_input_tokens: written5m, ephemeral_1h_input_tokens: written1h },
    };
  }

  /** Drops expired entries now and then so long benchmark runs keep a bounded map. */
  private sweepNow(at: number): void {
    if (++this.appliedSinceSweep < 1000) return;
    this.appliedSinceSweep = 0;
    for (const [hash, entry] of this.entries) if (entry.expiresAt <= at) this.entries.delete(hash);
  }
}
