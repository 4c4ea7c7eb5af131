// SharedState that prefers Redis and falls back to local memory. While Redis answers, every operation goes
// there and replicas share one state; when it does not (down, unreachable, slow), the operation is served from
// this process's memory at once, and Redis is tried again once it has reconnected. State written locally
// during an outage stays local: rate limits count per replica and circuits decide per replica until then.
import type { RedisState } from './redis-state.ts';
import type { SharedState, SharedStateStatus } from './shared-state.ts';

export interface FailoverState extends SharedState {
  status(): SharedStateStatus;
}

export function createFailoverState(redis: RedisState, local: SharedState): FailoverState {
  const run = async <T>(op: (state: SharedState) => Promise<T>): Promise<T> => {
    if (redis.usable()) {
      try {
        return await op(redis);
      } catch (error) {
        redis.failed(error);
      }
    }
    return op(local);
  };

  return {
    increment: (key, amount, ttlMs) => run((s) => s.increment(key, amount, ttlMs)),
    counters: (keys) => run((s) => s.counters(keys)),
    get: (key) => run((s) => s.get(key)),
    getMany: (keys) => run((s) => s.getMany(keys)),
    set: (key, value, ttlMs) => run((s) => s.set(key, value, ttlMs)),
    compareAndSet: (key, expected, next, ttlMs) => run((s) => s.compareAndSet(key, expected, next, ttlMs)),
    addToSet: (key, member, ttlMs) => run((s) => s.addToSet(key, member, ttlMs)),
    members: (key) => run((s) => s.members(key)),
    status() {
      const connected = redis.usable();
      return { configured: true, connected, mode: connected ? 'redis' : 'local', lastError: connected ? null : redis.lastError() };
    },
  };
}
