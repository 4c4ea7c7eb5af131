// SharedState on Redis (ioredis). Commands never queue while Redis is away and time out fast, so a caller can
// fall back to local state at once instead of holding a request; the client reconnects in the background with
// a growing delay. Counter creation with its lifetime and compare-and-set are Lua scripts, atomic on the server.
import type { Redis } from 'ioredis';
import { loadOnUse } from '../load-on-use.ts';
import type { SharedState } from './shared-state.ts';

export interface RedisStateOptions {
  url: string;
  keyPrefix: string;
  commandTimeoutMs: number;
  /** Told when Redis becomes usable or stops being usable (with the reason). */
  onChange?: (up: boolean, reason: string | null) => void;
  now?: () => number;
}

export interface RedisState extends SharedState {
  /** Connected, and no command timed out in the last moment. */
  usable(): boolean;
  /** Marks Redis unusable for a moment after a failed command, so the next requests do not wait on it too. */
  failed(error: unknown): void;
  lastError(): string | null;
  /** Resolves once connected, or after `timeoutMs` (whichever is first). */
  whenReady(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

// Lifetime set on creation only, so a window counter still ends two windows after its first request.
const INCREMENT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

// ARGV: has-expected (0/1), expected, next, ttl ms.
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if (ARGV[1] == '0' and current == false) or (ARGV[1] == '1' and current == ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
  return 1
end
return 0`;

interface ScriptedRedis extends Redis {
  cgIncrement(key: string, amount: number, ttlMs: number): Promise<number>;
  cgCompareAndSet(key: string, hasExpected: 0 | 1, expected: string, next: string, ttlMs: number): Promise<number>;
}

/** After a timeout or error, Redis is passed over for this long before it is tried again. */
const COOL_DOWN_MS = 1000;
const RECONNECT_MAX_MS = 2000;

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 200);

export function createRedisState(options: RedisStateOptions): RedisState {
  const now = options.now ?? Date.now;
  const { Redis: RedisClient } = loadOnUse<typeof import('ioredis')>('ioredis');
  const client = new RedisClient(options.url, {
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(1000, options.commandTimeoutMs * 4),
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), RECONNECT_MAX_MS),
  }) as ScriptedRedis;
  client.defineCommand('cgIncrement', { numberOfKeys: 1, lua: INCREMENT });
  client.defineCommand('cgCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET });

  let up = false;
  let coolUntil = 0;
  let lastError: string | null = null;
  let closing = false;

  const change = (next: boolean, reason: string | null) => {
    if (next === up) return;
    up = next;
    if (next) lastError = null;
    options.onChange?.(next, reason);
  };
  client.on('ready', () => {
    coolUntil = 0;
    change(true, null);
  });
  // Without an 'error' listener ioredis prints every failed reconnect; the outage is reported once instead.
  client.on('error', (error: unknown) => {
    lastError = reasonOf(error);
  });
  client.on('close', () => {
    if (!closing) change(false, lastError ?? 'connection closed');
  });

  const numbers = (values: Array<string | null>) => values.map((v) => (v === null ? 0 : Number(v) || 0));

  return {
    usable: () => up && client.status === 'ready' && now() >= coolUntil,
    failed(error) {
      lastError = reasonOf(error);
      coolUntil = now() + COOL_DOWN_MS;
      // A command that timed out may still be answered later, out of turn: start over on a fresh connection.
      if (/timed out/i.test(lastError) && client.status === 'ready') client.disconnect(true);
    },
    lastError: () => lastError,
    async whenReady(timeoutMs) {
      if (client.status === 'ready') return true;
      return new Promise((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          client.off('ready', onReady);
          resolve(ok);
        };
        const onReady = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        client.once('ready', onReady);
      });
    },
    async close() {
      closing = true;
      try {
        await Promise.race([client.quit(), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
      } catch {
        // already gone
      }
      client.disconnect();
    },

    increment: (key, amount, ttlMs) => client.cgIncrement(key, Math.round(amount), Math.max(1, Math.round(ttlMs))),
    async counters(keys) {
      if (keys.length === 0) return [];
      return numbers(await client.mget(...keys));
    },
    async get(key) {
      return (await client.get(key)) ?? undefined;
    },
    async getMany(keys) {
      if (keys.length === 0) return [];
      return (await client.mget(...keys)).map((v) => v ?? undefined);
    },
    async set(key, value, ttlMs) {
      await client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async compareAndSet(key, expected, next, ttlMs) {
      const done = await client.cgCompareAndSet(key, expected === undefined ? 0 : 1, expected ?? '', next, Math.max(1, Math.round(ttlMs)));
      return done === 1;
    },
    async addToSet(key, member, ttlMs) {
      const results = await client.multi().sadd(key, member).pexpire(key, Math.max(1, Math.round(ttlMs))).exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
    },
    async members(key) {
      return (await client.smembers(key)).sort();
    },
  };
}
