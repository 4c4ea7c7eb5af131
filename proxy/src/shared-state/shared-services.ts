// What a gateway keeps in shared state, built once from the config: with REDIS_URL, rate-limit windows,
// circuit states and the caches live in Redis (falling back to memory while Redis is away); without it, the
// caches live in memory and the reliability module keeps its own local stores.
import type { ScaleOutConfig } from '../config/scale-out.ts';
import type { CircuitStateStore } from '../reliability/circuit-store.ts';
import type { RateLimitStore } from '../reliability/rate-limit-store.ts';
import { createFailoverState } from './failover-state.ts';
import { createKeyValueCache } from './key-value-cache.ts';
import { createMemoryState } from './memory-state.ts';
import { createRedisState } from './redis-state.ts';
import { createSharedCircuitStore } from './shared-circuits.ts';
import { createSharedRateLimitStore } from './shared-rate-limits.ts';
import type { KeyValueCache, SharedState, SharedStateStatus } from './shared-state.ts';

export interface SharedCaches {
  /** Whole responses to repeated deterministic requests. */
  response: KeyValueCache;
  /** Content hashes of files already seen, for deduplication. */
  fileHash: KeyValueCache;
}

export interface SharedStateServices {
  /** Only with REDIS_URL; otherwise the reliability module's local store is used. */
  rateLimitStore?: RateLimitStore;
  /** Only with REDIS_URL; otherwise the reliability module's local store is used. */
  circuitStore?: CircuitStateStore;
  caches: SharedCaches;
  /** The state itself, for other features that must be shared between replicas. */
  state: SharedState;
  status(): SharedStateStatus;
  /** Waits (at most `timeoutMs`) for Redis to connect, so a starting replica shares state from its first request. */
  whenReady(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface SharedStateEvents {
  /** Redis became reachable (`up`) or stopped being reachable, with the reason. */
  onRedisChange?: (up: boolean, reason: string | null) => void;
  now?: () => number;
}

const LOCAL_STATUS: SharedStateStatus = Object.freeze({ configured: false, connected: false, mode: 'local', lastError: null });

export function createSharedStateServices(config: Pick<ScaleOutConfig, 'redisUrl' | 'redisKeyPrefix' | 'redisCommandTimeoutMs'>, events: SharedStateEvents = {}): SharedStateServices {
  const local = createMemoryState(events.now ? { now: events.now } : {});
  if (!config.redisUrl) {
    return {
      caches: { response: createKeyValueCache(local, 'response'), fileHash: createKeyValueCache(local, 'filehash') },
      state: local,
      status: () => LOCAL_STATUS,
      whenReady: async () => {},
      close: async () => {},
    };
  }
  const redis = createRedisState({
    url: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    ...(events.onRedisChange && { onChange: events.onRedisChange }),
    ...(events.now && { now: events.now }),
  });
  const state = createFailoverState(redis, local);
  return {
    rateLimitStore: createSharedRateLimitStore(state),
    circuitStore: createSharedCircuitStore(state),
    caches: { response: createKeyValueCache(state, 'response'), fileHash: createKeyValueCache(state, 'filehash') },
    state,
    status: () => state.status(),
    whenReady: async (timeoutMs) => {
      await redis.whenReady(timeoutMs);
    },
    close: () => redis.close(),
  };
}
