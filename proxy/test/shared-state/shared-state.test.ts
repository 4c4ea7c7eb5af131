// SharedState's contract, run against local memory and against the real Redis on this machine, and the
// reliability stores and caches built on it: two clients on one Redis see one state, and exactly one of many
// racing replicas claims a half-open circuit's probe.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { admit, type Admission, type CircuitRecord } from '../../src/reliability/circuit-state.ts';
import { createKeyValueCache } from '../../src/shared-state/key-value-cache.ts';
import { createMemoryState } from '../../src/shared-state/memory-state.ts';
import { createRedisState, type RedisState } from '../../src/shared-state/redis-state.ts';
import { createSharedCircuitStore } from '../../src/shared-state/shared-circuits.ts';
import { createSharedRateLimitStore } from '../../src/shared-state/shared-rate-limits.ts';
import type { SharedState } from '../../src/shared-state/shared-state.ts';
import { REDIS_URL, redisAnswers, runId, skipUnless } from '../helpers/services.ts';

const redisUp = await redisAnswers();
const redisSkip = skipUnless(redisUp, 'Redis', '127.0.0.1:6379');
const prefix = `${runId('cgtest')}:`;
const clients: RedisState[] = [];

function redisClient(): RedisState {
  const client = createRedisState({ url: REDIS_URL, keyPrefix: prefix, commandTimeoutMs: 1000 });
  clients.push(client);
  return client;
}

after(async () => {
  if (clients.length > 0) {
    // Remove what this run wrote, through a client without the prefix.
    const { Redis } = await import('ioredis');
    const raw = new Redis(REDIS_URL);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    raw.disconnect();
  }
  await Promise.all(clients.map((c) => c.close()));
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Backend {
  name: string;
  skip: string | false;
  make(): Promise<SharedState>;
  /** Lets `ms` pass for the state's lifetimes. */
  pass(ms: number): Promise<void>;
  /** A lifetime short enough to wait out, long enough that reads right after the write land inside it. */
  short: number;
}

const clock = { now: 1_000_000 };
const backends: Backend[] = [
  {
    name: 'memory',
    skip: false,
    make: async () => createMemoryState({ now: () => clock.now }),
    pass: async (ms) => {
      clock.now += ms;
    },
    short: 200,
  },
  {
    name: 'Redis',
    skip: redisSkip,
    make: async () => {
      const client = redisClient();
      assert.equal(await client.whenReady(2000), true);
      return client;
    },
    pass: sleep,
    // Real time: a loaded machine can take hundreds of milliseconds between a write and the next read.
    short: 3000,
  },
];

for (const backend of backends) {
  describe(`SharedState on ${backend.name}`, { skip: backend.skip }, () => {
    test('counters start at zero, add (also negative amounts) and expire with the lifetime set at creation', async () => {
      const s = await backend.make();
      assert.deepEqual(await s.counters(['c1', 'c2']), [0, 0]);
      assert.equal(await s.increment('c1', 5, backend.short), 5);
      assert.equal(await s.increment('c1', -2, 10_000), 3);
      assert.deepEqual(await s.counters(['c1', 'c2']), [3, 0]);
      await backend.pass(backend.short + 60);
      assert.deepEqual(await s.counters(['c1']), [0]);
      assert.equal(await s.increment('c1', 1, 200), 1);
    });

    test('values with lifetimes, read one or many', async () => {
      const s = await backend.make();
      await s.set('v1', 'one', backend.short);
      await s.set('v2', 'two', 60_000);
      assert.equal(await s.get('v1'), 'one');
      assert.deepEqual(await s.getMany(['v1', 'missing', 'v2']), ['one', undefined, 'two']);
      await backend.pass(backend.short + 60);
      assert.equal(await s.get('v1'), undefined);
      assert.equal(await s.get('v2'), 'two');
    });

    test('compare-and-set writes only over the expected value', async () => {
      const s = await backend.make();
      assert.equal(await s.compareAndSet('cas', undefined, 'a', 10_000), true);
      assert.equal(await s.compareAndSet('cas', undefined, 'b', 10_000), false);
      assert.equal(await s.compareAndSet('cas', 'x', 'b', 10_000), false);
      assert.equal(await s.compareAndSet('cas', 'a', 'b', 10_000), true);
      assert.equal(await s.get('cas'), 'b');
    });

    test('sets collect members', async () => {
      const s = await backend.make();
      await s.addToSet('set', 'b', 10_000);
      await s.addToSet('set', 'a', 10_000);
      await s.addToSet('set', 'b', 10_000);
      assert.deepEqual(await s.members('set'), ['a', 'b']);
      assert.deepEqual(await s.members('other-set'), []);
    });

    test('rate-limit windows: the current window and the one before it', async () => {
      const store = createSharedRateLimitStore(await backend.make());
      const w = 1_700_000_040_000;
      await store.add('rl:req:p', w, 60_000, 3);
      await store.add('rl:req:p', w, 60_000, 1);
      assert.deepEqual(await store.read('rl:req:p', w, 60_000), { current: 4, previous: 0 });
      assert.deepEqual(await store.read('rl:req:p', w + 60_000, 60_000), { current: 0, previous: 4 });
      // Giving back more than was charged never reads below zero.
      await store.add('rl:tok:p', w, 60_000, -50);
      assert.deepEqual(await store.read('rl:tok:p', w, 60_000), { current: 0, previous: 0 });
    });

    test('circuit records: update, read back, list', async () => {
      const store = createSharedCircuitStore(await backend.make());
      const open: CircuitRecord = { state: 'open', failures: 5, openedAt: 1000, probeSince: null };
      assert.equal(await store.get('up|m1'), undefined);
      assert.deepEqual(await store.update('up|m1', () => open), open);
      assert.deepEqual(await store.get('up|m1'), open);
      await store.update('up|m2', (r) => ({ ...r, failures: r.failures + 1 }));
      assert.deepEqual(await store.entries(), [
        ['up|m1', open],
        ['up|m2', { state: 'closed', failures: 1, openedAt: null, probeSince: null }],
      ]);
    });
  });
}

describe('two Redis clients (two replicas)', { skip: redisSkip }, () => {
  test('see one counter and one circuit', async () => {
    const [a, b] = [redisClient(), redisClient()];
    await Promise.all([a.whenReady(2000), b.whenReady(2000)]);
    const limitsA = createSharedRateLimitStore(a);
    const limitsB = createSharedRateLimitStore(b);
    const w = 1_700_000_100_000;
    await limitsA.add('rl:req:shared', w, 60_000, 2);
    await limitsB.add('rl:req:shared', w, 60_000, 3);
    assert.deepEqual(await limitsA.read('rl:req:shared', w, 60_000), { current: 5, previous: 0 });

    await createSharedCircuitStore(a).update('api|x', () => ({ state: 'open', failures: 3, openedAt: 5, probeSince: null }));
    assert.equal((await createSharedCircuitStore(b).get('api|x'))?.state, 'open');
  });

  test('exactly one of many racing replicas claims the probe of a half-open circuit', async () => {
    const replicas = Array.from({ length: 6 }, () => redisClient());
    await Promise.all(replicas.map((r) => r.whenReady(2000)));
    const settings = { threshold: 2, timeoutMs: 1000 };
    const key = 'api|race';
    await createSharedCircuitStore(replicas[0]!).update(key, () => ({ state: 'open', failures: 2, openedAt: 0, probeSince: null }));
    const now = 5000; // past the open timeout: the first to update takes the probe
    const admissions = await Promise.all(
      replicas.flatMap((replica) =>
        [1, 2, 3].map(async () => {
          // The update may run its function more than once (a lost race): the last run is what was written.
          const seen: Admission[] = [];
          await createSharedCircuitStore(replica).update(key, (record) => {
            const step = admit(record, now, settings);
            seen.push(step.admission);
            return step.next;
          });
          return seen.at(-1)!;
        }),
      ),
    );
    assert.equal(admissions.filter((a) => a === 'probe').length, 1, admissions.join(','));
    assert.equal(admissions.filter((a) => a === 'reject').length, 17);
  });
});

describe('KeyValueCache', () => {
  test('keeps namespaces apart and answers a miss when the state fails', async () => {
    const state = createMemoryState({ now: () => clock.now });
    const response = createKeyValueCache(state, 'response');
    const files = createKeyValueCache(state, 'filehash');
    await response.set('k', 'answer', 60);
    assert.equal(await response.get('k'), 'answer');
    assert.equal(await files.get('k'), undefined);
    clock.now += 61_000;
    assert.equal(await response.get('k'), undefined);

    const errors: unknown[] = [];
    const broken = createKeyValueCache({ ...state, get: async () => Promise.reject(new Error('down')), set: async () => Promise.reject(new Error('down')) }, 'response', (e) => errors.push(e));
    assert.equal(await broken.get('k'), undefined);
    await broken.set('k', 'v', 60);
    assert.equal(errors.length, 2);
  });

  test('memory state stays within its entry budget, dropping the least recently used', async () => {
    const state = createMemoryState({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) await state.set(k, k, 60_000);
    await state.get('a'); // a is now the most recently used
    await state.set('d', 'd', 60_000);
    assert.deepEqual(await state.getMany(['a', 'b', 'c', 'd']), ['a', undefined, 'c', 'd']);
  });
});
