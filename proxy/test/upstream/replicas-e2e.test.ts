// Two gateway replicas sharing Redis in front of the same two Anthropic accounts: a conversation started on one
// replica stays on its account when its next turns land on the other replica (the prompt cache is per account),
// and a circuit opened by one replica's failures is seen by the other.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { GATEWAY_KEY, startHarness, UPSTREAM_KEY, type Harness } from '../helpers/harness.ts';
import { eventually, REDIS_URL, redisAnswers, runId, skipUnless } from '../helpers/services.ts';
import { labUpstreams, SECOND_KEY } from '../helpers/upstream-lab.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.ts';

const redisUp = await redisAnswers();

async function turn(h: Harness, topic: string, turnNumber: number): Promise<string | null> {
  const messages: Array<{ role: 'user' | 'assistant'; content: string }> = [{ role: 'user', content: `Let us talk about ${topic}.` }];
  for (let i = 1; i < turnNumber; i++) messages.push({ role: 'assistant', content: `Answer ${i}.` }, { role: 'user', content: `Follow-up ${i}.` });
  const res = await fetch(`${h.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-sonnet-5-5', messages, max_tokens: 16 }),
  });
  await res.text();
  assert.equal(res.status, 200);
  return res.headers.get('x-upstream');
}

describe('replicas sharing Redis', { skip: skipUnless(redisUp, 'Redis', '127.0.0.1:6379') }, () => {
  const prefix = `${runId('cgsticky')}:`;
  let fakes: FakeAnthropic[];
  let replicas: Harness[];
  before(async () => {
    fakes = await Promise.all([startFakeAnthropic({ apiKey: UPSTREAM_KEY }), startFakeAnthropic({ apiKey: SECOND_KEY })]);
    const upstreams = labUpstreams({ primary: fakes[0]!.url, secondary: fakes[1]!.url, bedrock: 'http://127.0.0.1:1', vertex: 'http://127.0.0.1:1' }, { primary: 1, secondary: 1 });
    // A slow shared machine must not push Redis commands onto the local fallback mid-test.
    const config = { upstreams, redisUrl: REDIS_URL, redisKeyPrefix: prefix, redisCommandTimeoutMs: 3000, circuitBreakerEnabled: true, circuitBreakerThreshold: 2, retryMaxAttempts: 1 };
    replicas = await Promise.all([startHarness({ listen: true, config }), startHarness({ listen: true, config })]);
    for (const h of replicas) await eventually(async () => (await (await fetch(`${h.baseURL.replace(/\/v1$/, '')}/health`)).json()).storage.redis.connected === true, 'Redis to connect');
  });
  after(async () => {
    await Promise.all((replicas ?? []).map((h) => h.close()));
    await Promise.all((fakes ?? []).map((f) => f.close()));
    const direct = new Redis(REDIS_URL);
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length > 0) await direct.del(...keys);
    direct.disconnect();
  });

  test('each conversation keeps its account whichever replica serves its next turn', async () => {
    const seen = new Set<string>();
    for (let c = 0; c < 12; c++) {
      const topic = `topic ${c}`;
      const first = await turn(replicas[0]!, topic, 1);
      seen.add(first!);
      for (let t = 2; t <= 4; t++) assert.equal(await turn(replicas[t % 2]!, topic, t), first, `conversation ${c}, turn ${t}`);
    }
    assert.deepEqual([...seen].sort(), ['primary', 'secondary'], 'new conversations were spread over both accounts');
  });

  test("a circuit opened through one replica keeps the other replica's calls away", async () => {
    fakes[0]!.setResponder(() => ({ error: { status: 500, type: 'api_error', message: 'Internal server error' } }));
    // The other replica reads the shared circuit state (its /health refreshes it from Redis).
    const health = async (h: Harness) => (await (await fetch(`${h.baseURL.replace(/\/v1$/, '')}/health`)).json()) as { upstreams: Array<{ name: string; state: string }> };
    const primaryFailing = async (h: Harness) => (await health(h)).upstreams.find((u) => u.name === 'primary')?.state === 'failing';
    // Failures seen by replica 0 open primary's circuit for this model. New conversations are spread over the
    // accounts at random by weight, so a few may all land on the healthy one: send until two have failed.
    for (let i = 0; i < 40 && !(await primaryFailing(replicas[0]!)); i++) await turn(replicas[0]!, `failing ${i}`, 1);
    assert.ok(await primaryFailing(replicas[0]!), 'the failing account opened its circuit on replica 0');
    await eventually(() => primaryFailing(replicas[1]!), 'the other replica to see the open circuit');
    const before = fakes[0]!.requests.length;
    for (let i = 0; i < 6; i++) assert.equal(await turn(replicas[1]!, `other replica ${i}`, 1), 'secondary');
    assert.ok(fakes[0]!.requests.length - before <= 1, 'at most one probe reached the failing account from the other replica');
    fakes[0]!.setResponder(undefined);
  });
});
