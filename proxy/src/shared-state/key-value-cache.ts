// KeyValueCache over SharedState: a namespace of the shared state (response cache, file-hash cache), whose
// failures read as misses. A cache is an optimisation: it must never fail or hold up the request it serves.
import type { KeyValueCache, SharedState } from './shared-state.ts';

export function createKeyValueCache(state: SharedState, namespace: string, onError: (error: unknown) => void = () => {}): KeyValueCache {
  const key = (k: string) => `${namespace}:${k}`;
  return {
    async get(k) {
      try {
        return await state.get(key(k));
      } catch (error) {
        onError(error);
        return undefined;
      }
    },
    async set(k, value, ttlSeconds) {
      if (!(ttlSeconds > 0)) return;
      try {
        await state.set(key(k), value, ttlSeconds * 1000);
      } catch (error) {
        onError(error);
      }
    },
  };
}
