// A gateway sharing state through the real Redis, behind a TCP proxy this test cuts and restores: while Redis is
// away the gateway keeps serving on local state and says so in /health, /admin/settings and the metrics; when
// it is back, the gateway returns to it.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { windowStartOf } from '../../src/reliability/sliding-window.ts';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { parseScrape, value } from '../helpers/prometheus.ts';
import { eventually, REDIS_PORT, REDIS_URL, redisAnswers, runId, skipUnless, startTcpProxy, type TcpProxy } from '../helpers/services.ts';

const redisUp = await redisAnswers();
const prefix = `${runId('cgfail')}:`;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const auth = { authorization: `Bearer ${GATEWAY_KEY}` };

async function health(h: Harness) {
  return (await h.app.inject({ method: 'GET', url: '/health' })).json();
}

async function chat(h: Harness) {
  const started = Date.now();
  const res = await h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: auth, payload: { model: 'sonnet', messages: [{ role: 'user', content: 'hello' }] } });
  return { status: res.statusCode, ms: Date.now() - started };
}

describe('Redis goes away and comes back', { skip: skipUnless(redisUp, 'Redis', '127.0.0.1:6379') }, () => {
  let proxy: TcpProxy;
  let h: Harness;
  let direct: Redis;
  const requestCount = async () => Number((await direct.get(`${prefix}rl:req:default:${windowStartOf(Date.now(), 60_000)}`)) ?? 0);

  before(async () => {
    proxy = await startTcpProxy(REDIS_PORT);
    direct = new Redis(REDIS_URL);
    h = await startHarness({
      config: {
        redisUrl: `redis://127.0.0.1:${proxy.port}`,
        redisKeyPrefix: prefix,
        redisCommandTimeoutMs: 200,
        rateLimitEnabled: true,
        rateLimitRpm: 1000,
      },
    });
    // The counter is per minute: start well inside one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
  });
  after(async () => {
    await h?.close();
    await proxy?.close();
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length > 0) await direct.del(...keys);
    direct.disconnect();
  });

  test('connected: the rate-limit window lives in Redis', async () => {
    const body = await health(h);
    assert.equal(body.status, 'ok');
    assert.deepEqual(body.storage.redis, { configured: true, connected: true, mode: 'redis' });
    assert.equal((await chat(h)).status, 200);
    assert.equal(await requestCount(), 1);
  });

  test('cut: requests are served at once on local state, and every status surface says so', async () => {
    await proxy.cut();
    await eventually(async () => (await health(h)).storage.redis.connected === false, '/health to notice the outage');
    const body = await health(h);
    assert.equal(body.status, 'degraded');
    assert.deepEqual(body.storage.redis, { configured: true, connected: false, mode: 'local' });

    for (let i = 0; i < 3; i++) {
      const { status, ms } = await chat(h);
      assert.equal(status, 200);
      assert.ok(ms < 1500, `a request took ${ms} ms while Redis was away`);
    }
    assert.equal(await requestCount(), 1, 'nothing reached Redis during the outage');

    const settings = (await h.app.inject({ method: 'GET', url: '/admin/settings', headers: admin })).json();
    assert.deepEqual(settings.storage.redis, { configured: true, connected: false });
    const metrics = parseScrape((await h.app.inject({ method: 'GET', url: '/admin/metrics', headers: admin })).body);
    assert.equal(value(metrics, 'gateway_shared_state_up', { backend: 'redis' }), 0);
  });

  test('hung (the connection stays open, nothing answers): commands time out and requests do not wait', async () => {
    await proxy.restore();
    await eventually(async () => (await health(h)).storage.redis.connected === true, 'the gateway to reconnect', 8000);
    assert.equal(await requestCount(), 1, 'nothing from the outage was replayed into Redis');
    proxy.freeze();
    try {
      for (let i = 0; i < 3; i++) {
        const { status, ms } = await chat(h);
        assert.equal(status, 200);
        assert.ok(ms < 1000, `a request took ${ms} ms while Redis hung`);
      }
      assert.equal((await health(h)).storage.redis.mode, 'local');
    } finally {
      proxy.thaw();
    }
  });

  test('restored: the gateway reconnects by itself and shares state again', async () => {
    await eventually(async () => (await health(h)).storage.redis.connected === true, 'the gateway to use Redis again', 8000);
    assert.equal((await health(h)).status, 'ok');
    const before = await requestCount();
    assert.equal((await chat(h)).status, 200);
    assert.equal(await requestCount(), before + 1);
    const metrics = parseScrape((await h.app.inject({ method: 'GET', url: '/admin/metrics', headers: admin })).body);
    assert.equal(value(metrics, 'gateway_shared_state_up', { backend: 'redis' }), 1);
  });
});

describe('Redis unreachable from the start', () => {
  test('the gateway starts, serves and reports degraded shared state', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const started = Date.now();
    const h = await startHarness({ config: { redisUrl: `redis://127.0.0.1:${closedPort}`, redisKeyPrefix: prefix, rateLimitEnabled: true } });
    try {
      assert.ok(Date.now() - started < 5000, 'start is not held up long by a missing Redis');
      assert.equal((await chat(h)).status, 200);
      const body = await health(h);
      assert.equal(body.status, 'degraded');
      assert.deepEqual(body.storage.redis, { configured: true, connected: false, mode: 'local' });
    } finally {
      await h.close();
    }
  });
});
