// A client asking for a batch's status learns that Anthropic finished it within seconds, however long the
// background polling interval; asking again and again does not poll Anthropic more than once every couple of
// seconds; and the background polling backs off while a job makes no progress.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeAnthropic, defaultResponder, type FakeAnthropic, type FakePlan, type RecordedRequest } from '../fake-anthropic/index.ts';
import { UPSTREAM_KEY } from '../helpers/harness.ts';
import { PollSchedule, REFRESH_AFTER_MS } from '../../src/batch/poll-schedule.ts';
import { removeDir, startExtensionGateway, tempDataDir, type ExtensionGateway } from '../tools/extension-harness.ts';

describe('PollSchedule', () => {
  test('polls at the base interval while a job moves, doubling up to ten times it while it does not', () => {
    let now = 0;
    const schedule = new PollSchedule(30_000, () => now);
    assert.equal(schedule.due('b'), true, 'a job never polled is due');
    schedule.polled('b', 'in_progress 0/10');
    assert.equal(schedule.intervalMs('b'), 30_000);
    const intervals: number[] = [];
    for (let i = 0; i < 6; i++) {
      now += schedule.intervalMs('b');
      assert.equal(schedule.due('b'), true);
      schedule.polled('b', 'in_progress 0/10');
      intervals.push(schedule.intervalMs('b'));
    }
    assert.deepEqual(intervals, [60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
    now += 1000;
    assert.equal(schedule.due('b'), false);
    schedule.polled('b', 'in_progress 4/10');
    assert.equal(schedule.intervalMs('b'), 30_000, 'progress brings the interval back');
  });

  test('a client refreshes a job whose last look is older than the refresh threshold', () => {
    let now = 0;
    const schedule = new PollSchedule(30_000, () => now);
    assert.equal(schedule.stale('b'), true);
    schedule.polled('b', 'x');
    now += REFRESH_AFTER_MS - 1;
    assert.equal(schedule.stale('b'), false);
    now += 1;
    assert.equal(schedule.stale('b'), true);
    schedule.forget('b');
    assert.equal(schedule.stale('b'), true);
  });

  test('a poll interval shorter than the threshold refreshes as often as it polls', () => {
    let now = 0;
    const schedule = new PollSchedule(500, () => now);
    schedule.polled('b', 'x');
    now += 500;
    assert.equal(schedule.stale('b'), true);
  });
});

function responder(req: RecordedRequest): FakePlan {
  if (req.path !== '/v1/messages') return {};
  return { ...defaultResponder(req), outputTokens: 5, delayMs: 400 };
}

describe('GET /v1/batch/:id and /v1/batches/:id refresh from Anthropic', () => {
  let fake: FakeAnthropic;
  let dir: string;
  let gw: ExtensionGateway;

  before(async () => {
    fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY, respond: responder });
    dir = tempDataDir();
    // An hour between background polls: only a client's request can bring the result in time.
    gw = await startExtensionGateway({ fake, dataDir: dir, config: { enableBatchApi: true, batchPollMs: 3_600_000 } });
  });
  after(async () => {
    await gw.close();
    await fake.close();
    removeDir(dir);
  });

  const retrieves = () => fake.requests.filter((r) => r.method === 'GET' && /^\/v1\/messages\/batches\/[^/]+$/.test(r.path)).length;
  const get = async (url: string) => {
    const res = await gw.app.inject({ method: 'GET', url, headers: gw.auth });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };

  test('a finished batch reaches the client within seconds, and repeated asking polls at most every couple of seconds', async () => {
    const created = await gw.app.inject({ method: 'POST', url: '/v1/batch', headers: gw.auth, payload: { requests: [{ model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] }] } });
    assert.equal(created.statusCode, 200, created.body);
    const id = created.json().id as string;
    let batch = await get(`/v1/batch/${id}`);
    while (batch.status === 'validating') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      batch = await get(`/v1/batch/${id}`);
    }
    // Submitted (Anthropic finishes it 400 ms from now): from here the client should know within seconds.
    const started = Date.now();
    batch = await get(`/v1/batch/${id}`);
    const afterFirst = retrieves();
    // Asked many times in quick succession: one look at Anthropic for all of them.
    for (let i = 0; i < 10; i++) batch = await get(`/v1/batch/${id}`);
    assert.ok(retrieves() - afterFirst <= 1, `asked 10 times, polled ${retrieves() - afterFirst} times`);

    while (batch.status !== 'completed') {
      assert.ok(Date.now() - started < 8_000, `still ${batch.status} after 8 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      batch = await get(`/v1/batch/${id}`);
    }
    assert.equal(batch.results[0].status, 'succeeded');
    assert.ok(Date.now() - started < REFRESH_AFTER_MS + 3_000, `completed after ${Date.now() - started} ms`);
  });

  test('OpenAI’s GET /v1/batches/:id refreshes the same way', async () => {
    const created = await gw.app.inject({ method: 'POST', url: '/v1/batch', headers: gw.auth, payload: { requests: [{ model: 'sonnet', messages: [{ role: 'user', content: 'again' }] }] } });
    const id = created.json().id as string;
    const started = Date.now();
    let batch = await get(`/v1/batches/${id}`);
    while (batch.status !== 'completed') {
      assert.ok(Date.now() - started < 8_000, `still ${batch.status} after 8 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      batch = await get(`/v1/batches/${id}`);
    }
    assert.equal(batch.request_counts.completed, 1);
  });
});
