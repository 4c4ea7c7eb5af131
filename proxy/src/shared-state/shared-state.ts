// The few operations replicas need to share state: counters that expire (rate-limit windows), values that
// expire (caches), a compare-and-set (circuit states) and a small set (which circuits exist). One interface,
// two implementations: local memory, and Redis when REDIS_URL is set.

export interface SharedState {
  /** Adds `amount` (may be negative) to a counter that starts at 0 and expires `ttlMs` after it was created. */
  increment(key: string, amount: number, ttlMs: number): Promise<number>;
  /** Values of counters; 0 for a missing one. */
  counters(keys: readonly string[]): Promise<number[]>;
  get(key: string): Promise<string | undefined>;
  getMany(keys: readonly string[]): Promise<Array<string | undefined>>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Writes `next` only while the value is still `expected` (undefined: absent). False when another writer
   * changed it first: the caller reads again and retries.
   */
  compareAndSet(key: string, expected: string | undefined, next: string, ttlMs: number): Promise<boolean>;
  /** Adds a member to a set, which expires `ttlMs` after its latest addition. */
  addToSet(key: string, member: string, ttlMs: number): Promise<void>;
  members(key: string): Promise<string[]>;
}

/**
 * A string cache with lifetimes, for the response cache and the file-hash cache. Lookups never throw and never
 * wait long: a cache that cannot answer answers "not there".
 */
export interface KeyValueCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

/** Where shared state lives right now, for /health, /admin/settings and gateway_shared_state_up. */
export interface SharedStateStatus {
  /** REDIS_URL is set. */
  configured: boolean;
  /** Commands go to Redis (false: Redis is unreachable and the gateway serves on local state). */
  connected: boolean;
  /** 'redis' while connected, else 'local'. */
  mode: 'redis' | 'local';
  /** The last Redis problem seen during the current outage. */
  lastError: string | null;
}
