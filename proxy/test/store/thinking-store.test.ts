// The thinking store: a turn's blocks found again by tool call id and its binding by block, across a reopened
// SQLite store (a restart), between two stores sharing the real Redis (replicas), bounded by age and count.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createSharedStateServices } from '../../src/shared-state/shared-services.ts';
import { openGatewayStore } from '../../src/store/gateway-store.ts';
import { createSqliteKeyValues } from '../../src/store/sqlite-key-values.ts';
import { createThinkingStore, type BoundThinking } from '../../src/store/thinking-store.ts';
import { REDIS_URL, redisAnswers, runId, skipUnless } from '../helpers/services.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function turn(n: number): BoundThinking {
  return { toolCallIds: [`toolu_${n}a`, `toolu_${n}b`], blocks: [{ type: 'thinking', thinking: `t${n}`, signature: `s${n}` }], binding: `d${n}`, model: 'claude-opus-5-5' };
}

describe('SQLite', () => {
  test('a reopened store finds what the closed one kept; expired entries are gone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-think-'));
    dirs.push(dataDir);
    let clock = 1_000;
    const now = () => clock;
    const open = () => openGatewayStore({ dataDir, now });
    const first = open();
    await createThinkingStore(createSqliteKeyValues(first.db, 'thinking', 100, now), { ttlMs: 60_000 }).remember(turn(1));
    first.close();

    const second = open();
    const store = createThinkingStore(createSqliteKeyValues(second.db, 'thinking', 100, now), { ttlMs: 60_000 });
    const recall = await store.recall(['toolu_1b', 'toolu_9'], [turn(1).blocks[0]!]);
    assert.deepEqual(recall.lookup('toolu_1b'), turn(1).blocks);
    assert.equal(recall.lookup('toolu_9'), undefined);
    assert.equal(recall.bindingOf(turn(1).blocks[0]!), 'd1');
    clock += 61_000;
    assert.equal((await store.recall(['toolu_1a'], [])).lookup('toolu_1a'), undefined);
    second.close();
  });

  test('the count bound keeps the newest entries', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-think-'));
    dirs.push(dataDir);
    let clock = 1_000;
    const db = openGatewayStore({ dataDir, now: () => clock });
    const kv = createSqliteKeyValues(db.db, 'thinking', 10, () => clock);
    for (let i = 0; i < 30; i++) {
      clock += 1;
      await kv.set(`k${i}`, 'v', 60_000);
    }
    kv.sweep();
    const values = await kv.getMany(Array.from({ length: 30 }, (_, i) => `k${i}`));
    assert.equal(values.filter(Boolean).length, 10);
    assert.equal(values[29], 'v');
    db.close();
  });
});

const redisUp = await redisAnswers();
test('two stores on one Redis see each other’s turns', { skip: skipUnless(redisUp, 'Redis', '127.0.0.1:6379') }, async () => {
  const prefix = `${runId('cgthinkstore')}:`;
  const a = createSharedStateServices({ redisUrl: REDIS_URL, redisKeyPrefix: prefix, redisCommandTimeoutMs: 1000 });
  const b = createSharedStateServices({ redisUrl: REDIS_URL, redisKeyPrefix: prefix, redisCommandTimeoutMs: 1000 });
  try {
    await Promise.all([a.whenReady(2000), b.whenReady(2000)]);
    await createThinkingStore(a.state).remember(turn(2));
    const recall = await createThinkingStore(b.state).recall(['toolu_2a'], []);
    assert.deepEqual(recall.lookup('toolu_2a'), turn(2).blocks);
    assert.equal(recall.bindingOf(turn(2).blocks[0]!), 'd2');
  } finally {
    await Promise.all([a.close(), b.close()]);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
});

describe('lookups an agent repeats every turn', () => {
  const counting = () => {
    const stored = new Map<string, string>();
    const asked: string[][] = [];
    let failing = false;
    return {
      asked,
      fail: (on: boolean) => void (failing = on),
      durable: {
        async getMany(keys: readonly string[]) {
          asked.push([...keys]);
          if (failing) throw new Error('unreachable');
          return keys.map((k) => stored.get(k));
        },
        async set(key: string, value: string) {
          stored.set(key, value);
        },
      },
    };
  };

  test('a key the durable store lacked is not asked for again; a key kept later is found', async () => {
    const d = counting();
    const store = createThinkingStore(d.durable);
    assert.equal((await store.recall(['toolu_old'], [])).lookup('toolu_old'), undefined);
    assert.equal((await store.recall(['toolu_old', 'toolu_new'], [])).lookup('toolu_new'), undefined);
    assert.deepEqual(d.asked, [['t:toolu_old'], ['t:toolu_new']]);
    await store.remember({ ...turn(7), toolCallIds: ['toolu_old'] });
    assert.deepEqual((await store.recall(['toolu_old'], [])).lookup('toolu_old'), turn(7).blocks);
  });

  test('a failed read is not taken for an absent key', async () => {
    const d = counting();
    const store = createThinkingStore(d.durable, { onError: () => {} });
    d.fail(true);
    await store.recall(['toolu_x'], []);
    d.fail(false);
    await store.recall(['toolu_x'], []);
    assert.deepEqual(d.asked, [['t:toolu_x'], ['t:toolu_x']]);
  });
});
