// Spend budgets through listening gateways: a spent project budget refuses requests with 429 budget_exceeded in
// the caller's API shape until its period resets, a key budget applies to that key only, the soft threshold
// flags the project, and two replicas sharing Redis refuse the same project once their combined spend reaches it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, { RateLimitError } from 'openai';
import { Redis } from 'ioredis';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { eventually, REDIS_URL, redisAnswers, runId, skipUnless } from '../helpers/services.ts';

const admin = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
const root = (h: Harness) => h.baseURL.replace(/\/v1$/, '');

async function putBudget(h: Harness, scope: string, subject: string, body: unknown) {
  return fetch(`${root(h)}/admin/budgets/${scope}/${subject}`, { method: 'PUT', headers: admin, body: JSON.stringify(body) });
}

async function chat(h: Harness, key = GATEWAY_KEY) {
  const client = new OpenAI({ baseURL: h.baseURL, apiKey: key, maxRetries: 0 });
  try {
    const { response } = await client.chat.completions.create({ model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'Spend a little money.' }], max_tokens: 64 }).withResponse();
    return { status: response.status, warning: response.headers.get('x-budget-warning') };
  } catch (error) {
    if (error instanceof RateLimitError) return { status: 429, error: error.error as { code: string; type: string; message: string }, retryAfter: error.headers?.get('retry-after') };
    throw error;
  }
}

describe('one gateway (SQLite)', () => {
  let h: Harness;
  let clock = Date.parse('2026-12-09T12:00:00Z');
  before(async () => {
    h = await startHarness({ listen: true, deps: { now: () => clock } });
  });
  after(() => h.close());

  test('the admin API validates, stores and lists budgets', async () => {
    const bad = await putBudget(h, 'project', 'default', { period: 'fortnight', limitUsd: 1 });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.param, 'period');
    const noScope = await putBudget(h, 'team', 'default', { period: 'day', limitUsd: 1 });
    assert.equal(noScope.status, 400);
    const ok = await putBudget(h, 'project', 'default', { period: 'day', limitUsd: 0.0004, softPercent: 50 });
    assert.equal(ok.status, 200);
    const listed = await (await fetch(`${root(h)}/admin/budgets`, { headers: admin })).json();
    assert.equal(listed.budgets.length, 1);
    assert.equal(listed.budgets[0].status.state, 'ok');
  });

  test('spend flags the project, then the hard limit refuses with 429 budget_exceeded until the day resets', async () => {
    let refused;
    const warnings: Array<string | null | undefined> = [];
    for (let i = 0; i < 20 && !refused; i++) {
      const got = await chat(h);
      if (got.status === 429) refused = got;
      else warnings.push(got.warning);
    }
    assert.ok(refused, 'the budget refused a request');
    assert.equal(refused.error!.code, 'budget_exceeded');
    assert.equal(refused.error!.type, 'insufficient_quota');
    assert.match(refused.error!.message, /Project "default" has spent \$0\.00 of its daily budget of \$0\.00; requests are refused until it resets at 2026-12-10T00:00:00\.000Z/);
    assert.equal(refused.retryAfter, String(12 * 3600));
    assert.ok(warnings.some((w) => w && /used \d+% of its day budget/.test(w)), 'the soft threshold was announced');
    const view = await (await fetch(`${root(h)}/admin/budgets/project/default`, { headers: admin })).json();
    assert.equal(view.status.state, 'exceeded');

    // The Anthropic-native route refuses in Anthropic's shape.
    const native = await fetch(`${root(h)}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(native.status, 429);
    assert.deepEqual((await native.json()).error.type, 'rate_limit_error');

    clock += 12 * 3600_000 + 1;
    assert.equal((await chat(h)).status, 200, 'a new day, a new budget');
  });

  test('deleting the budget lifts it', async () => {
    const res = await fetch(`${root(h)}/admin/budgets/project/default`, { method: 'DELETE', headers: { authorization: admin.authorization } });
    assert.equal(res.status, 204);
    assert.equal((await fetch(`${root(h)}/admin/budgets/project/default`, { headers: admin })).status, 404);
  });
});

describe('a key budget', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ listen: true, config: { enableMultiProject: true } });
  });
  after(() => h.close());

  test('applies to that key only: the other keys of the project keep working', async () => {
    const created = await fetch(`${root(h)}/admin/projects`, { method: 'POST', headers: admin, body: JSON.stringify({ id: 'team-a', name: 'Team A' }) });
    assert.equal(created.status, 201);
    const newKey = async () => (await (await fetch(`${root(h)}/admin/projects/team-a/keys`, { method: 'POST', headers: admin, body: '{}' })).json()) as { id: string; key: string };
    const [capped, free] = [await newKey(), await newKey()];
    assert.equal((await putBudget(h, 'key', capped.id, { period: 'week', limitUsd: 0.00001 })).status, 200);
    assert.equal((await chat(h, capped.key)).status, 200);
    const refused = await eventually(async () => { const got = await chat(h, capped.key); return got.status === 429 && got; }, 'the key budget to refuse');
    assert.match(refused.error!.message, new RegExp(`API key ${capped.id} has spent .* of its weekly budget`));
    assert.equal((await chat(h, free.key)).status, 200, 'another key of the same project is not limited');
  });
});

const redisUp = await redisAnswers();

describe('two replicas sharing Redis', { skip: skipUnless(redisUp, 'Redis', '127.0.0.1:6379') }, () => {
  const prefix = `${runId('cgbudget')}:`;
  let a: Harness;
  let b: Harness;
  before(async () => {
    const config = { redisUrl: REDIS_URL, redisKeyPrefix: prefix };
    [a, b] = await Promise.all([startHarness({ listen: true, config }), startHarness({ listen: true, config })]);
    for (const h of [a, b]) await eventually(async () => (await (await fetch(`${root(h)}/health`)).json()).storage.redis.connected === true, 'Redis to connect');
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    const direct = new Redis(REDIS_URL);
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length > 0) await direct.del(...keys);
    direct.disconnect();
  });

  test('a budget set on one replica is spent on both and refused by both', async () => {
    assert.equal((await putBudget(a, 'project', 'default', { period: 'month', limitUsd: 0.0006 })).status, 200);
    // Spend alternates between the replicas until one of them refuses.
    let refusedBy: string | undefined;
    for (let i = 0; i < 30 && !refusedBy; i++) {
      const replica = i % 2 === 0 ? a : b;
      if ((await chat(replica)).status === 429) refusedBy = replica === a ? 'a' : 'b';
    }
    assert.ok(refusedBy, 'one replica refused');
    const other = refusedBy === 'a' ? b : a;
    await eventually(async () => (await chat(other)).status === 429, 'the other replica to refuse too', 5000);
    const views = await Promise.all([a, b].map(async (h) => (await (await fetch(`${root(h)}/admin/budgets`, { headers: admin })).json()).budgets[0]));
    assert.equal(views[0].status.spend.period, views[1].status.spend.period);
    assert.equal(views[0].status.state, 'exceeded');
  });
});
