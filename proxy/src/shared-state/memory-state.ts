// SharedState in this process's memory: what a single gateway uses, and what a replica falls back to while
// Redis is away. Bounded: past `maxEntries` (or `maxBytes` of values) the least recently used entries go first,
// and expired entries are dropped as they are met.
import type { SharedState } from './shared-state.ts';

interface Entry {
  value: string | number | Set<string>;
  expiresAt: number;
  bytes: number;
}

export interface MemoryStateOptions {
  now?: () => number;
  maxEntries?: number;
  maxBytes?: number;
}

const sizeOf = (value: Entry['value']): number =>
  typeof value === 'string' ? value.length * 2 : typeof value === 'number' ? 8 : [...value].reduce((n, m) => n + m.length * 2, 0);

export function createMemoryState(options: MemoryStateOptions = {}): SharedState {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 50_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  // A Map keeps insertion order: re-inserting on use makes its first key the least recently used.
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      drop(key);
      return undefined;
    }
    entries.delete(key);
    entries.set(key, entry);
    return entry;
  };

  const put = (key: string, value: Entry['value'], expiresAt: number) => {
    drop(key);
    const entry = { value, expiresAt, bytes: sizeOf(value) + key.length * 2 };
    entries.set(key, entry);
    bytes += entry.bytes;
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      if (oldest === key) continue;
      drop(oldest);
    }
  };

  const text = (key: string): string | undefined => {
    const value = live(key)?.value;
    return typeof value === 'string' ? value : undefined;
  };

  return {
    async increment(key, amount, ttlMs) {
      const entry = live(key);
      const current = typeof entry?.value === 'number' ? entry.value : 0;
      const next = current + Math.round(amount);
      put(key, next, entry && typeof entry.value === 'number' ? entry.expiresAt : now() + ttlMs);
      return next;
    },
    async counters(keys) {
      return keys.map((key) => {
        const value = live(key)?.value;
        return typeof value === 'number' ? value : 0;
      });
    },
    async get(key) {
      return text(key);
    },
    async getMany(keys) {
      return keys.map(text);
    },
    async set(key, value, ttlMs) {
      put(key, value, now() + ttlMs);
    },
    async compareAndSet(key, expected, next, ttlMs) {
      if (text(key) !== expected) return false;
      put(key, next, now() + ttlMs);
      return true;
    },
    async addToSet(key, member, ttlMs) {
      const value = live(key)?.value;
      const set = value instanceof Set ? new Set(value) : new Set<string>();
      set.add(member);
      put(key, set, now() + ttlMs);
    },
    async members(key) {
      const value = live(key)?.value;
      return value instanceof Set ? [...value].sort() : [];
    },
  };
}
