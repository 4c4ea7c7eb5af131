// Batch processing end to end against the fake Anthropic's Message Batches: results as chat completions with
// partial failures, usage at the batch discount, a gateway restarted mid-batch that finishes it, the live
// fallback when Message Batches are unavailable, cancellation, and OpenAI's files + batches flow via its SDK.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { startFakeAnthropic, defaultResponder, type FakeAnthropic, type FakePlan, type RecordedRequest } from '../fake-anthropic/index.ts';
import { contentBlocks } from '../fake-anthropic/prompt-layout.ts';
import { GATEWAY_KEY, UPSTREAM_KEY } from '../helpers/harness.ts';
import { costUsd } from '../../src/usage/cost.ts';
import { priceFor } from '../../src/usage/prices.ts';
import { removeDir, startExtensionGateway, tempDataDir, type ExtensionGateway } from '../tools/extension-harness.ts';

const POLL = { enableBatchApi: true, batchPollMs: 20 };

function userText(req: RecordedRequest): string {
  const messages: any[] = req.body?.messages ?? [];
  return contentBlocks(messages.at(-1)?.content)
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');
}

/** "FAIL" answers with an upstream error; "SLOW <ms>" takes that long; anything else is echoed. */
function responder(req: RecordedRequest): FakePlan {
  if (req.path !== '/v1/messages') return {};
  const text = userText(req);
  if (text.includes('FAIL')) return { error: { status: 400, type: 'invalid_request_error', message: 'messages.0: this request was refused' } };
  const slow = /SLOW (\d+)/.exec(text);
  return { ...defaultResponder(req), outputTokens: 10, ...(slow && { delayMs: Number(slow[1]) }) };
}

const chat = (text: string, model = 'sonnet') => ({ model, messages: [{ role: 'user', content: text }] });

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

async function getBatch(gw: ExtensionGateway, id: string): Promise<any> {
  const res = await gw.app.inject({ method: 'GET', url: `/v1/batch/${id}`, headers: gw.auth });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

const finished = (b: any) => ['completed', 'failed', 'cancelled', 'expired'].includes(b.status);

function usageRows(gw: ExtensionGateway, prefix: string): any[] {
  return gw.store.db.prepare("SELECT * FROM usage_records WHERE id LIKE ? ORDER BY id").all(`${prefix}-%`) as any[];
}

describe('batches on Message Batches', () => {
  let fake: FakeAnthropic;
  let dir: string;
  let gw: ExtensionGateway;

  before(async () => {
    fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY, respond: responder });
    dir = tempDataDir();
    gw = await startExtensionGateway({ fake, dataDir: dir, config: POLL });
  });
  after(async () => {
    await gw.close();
    await fake.close();
    removeDir(dir);
  });

  test('results come back as chat completions, with per-request failures and usage at the batch discount', async () => {
    const created = await gw.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: gw.auth,
      payload: { requests: [{ custom_id: 'ok', body: chat('hello batch') }, { custom_id: 'refused', body: chat('FAIL please') }, { custom_id: 'bad-model', body: chat('x', 'gpt-4o') }], metadata: { run: '1' } },
    });
    assert.equal(created.statusCode, 200, created.body);
    const batch = created.json();
    assert.match(batch.id, /^batch_/);
    assert.equal(batch.object, 'batch');
    assert.equal(batch.request_counts.total, 3);
    assert.deepEqual(batch.metadata, { run: '1' });

    const done = await waitFor(() => getBatch(gw, batch.id), finished);
    assert.equal(done.status, 'completed');
    assert.equal(done.backend, 'anthropic');
    assert.deepEqual(done.request_counts, { total: 3, completed: 1, failed: 2 });
    const [ok, refused, badModel] = done.results;
    assert.deepEqual([ok.custom_id, ok.status, ok.error], ['ok', 'succeeded', null]);
    assert.equal(ok.response.object, 'chat.completion');
    assert.match(ok.response.id, /^chatcmpl-/);
    assert.equal(ok.response.model, 'claude-sonnet-5-5');
    assert.deepEqual(ok.response.choices[0].message, { role: 'assistant', content: 'Echo: hello batch', refusal: null });
    assert.equal(ok.response.usage.completion_tokens, 10);
    assert.deepEqual([refused.status, refused.error.status, refused.error.error.type], ['errored', 400, 'invalid_request_error']);
    assert.match(refused.error.error.message, /refused/);
    assert.deepEqual([badModel.status, badModel.error.status, badModel.error.error.code], ['errored', 404, 'model_not_found']);

    // One Message Batch upstream, holding only the requests that could be translated, exactly as the live path would send them.
    const creates = fake.requests.filter((r) => r.path === '/v1/messages/batches' && r.method === 'POST');
    const sent = creates.at(-1)!.body.requests;
    assert.deepEqual(sent.map((r: any) => r.custom_id), ['i0', 'i1']);
    assert.deepEqual(sent[0].params.messages, [{ role: 'user', content: [{ type: 'text', text: 'hello batch' }] }]);
    assert.equal(sent[0].params.stream, undefined);

    const rows = await waitFor(async () => usageRows(gw, batch.id), (r) => r.length === 3);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const okRow = byId.get(`${batch.id}-0`);
    assert.deepEqual([okRow.endpoint, okRow.batch, okRow.status, okRow.output_tokens, okRow.model], ['batch', 1, 200, 10, 'claude-sonnet-5-5']);
    assert.ok(okRow.cost_usd > 0);
    const price = priceFor('claude-sonnet-5-5', gw.store.prices.table())!;
    const tokens = { inputTokens: okRow.input_tokens, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, outputTokens: 10 };
    assert.equal(price.batchDiscount, 0.5);
    assert.equal(okRow.cost_usd, costUsd(tokens, price, { batch: true }));
    assert.ok(Math.abs(okRow.cost_usd * 2 - costUsd(tokens, price)) < 1e-9, 'half the live price');
    assert.deepEqual([byId.get(`${batch.id}-2`).status, byId.get(`${batch.id}-2`).error_type], [404, 'model_not_found']);
  });

  test('a gateway closed mid-batch and rebuilt on the same DATA_DIR picks up polling and finishes it', async () => {
    const restartDir = tempDataDir();
    let first: ExtensionGateway | undefined = await startExtensionGateway({ fake, dataDir: restartDir, config: POLL, idPrefix: 'one' });
    let second: ExtensionGateway | undefined;
    try {
      const created = await first.app.inject({ method: 'POST', url: '/v1/batch', headers: first.auth, payload: { requests: [chat('SLOW 600 a'), chat('SLOW 300 b')] } });
      const id = created.json().id;
      const running = await waitFor(() => getBatch(first!, id), (b) => b.status === 'in_progress');
      assert.equal(running.results, undefined, 'no results before the end');
      await first.close();
      first = undefined;
      const createsBefore = fake.requests.filter((r) => r.path === '/v1/messages/batches' && r.method === 'POST').length;

      second = await startExtensionGateway({ fake, dataDir: restartDir, config: POLL, idPrefix: 'two' });
      const done = await waitFor(() => getBatch(second!, id), finished);
      assert.equal(done.status, 'completed');
      assert.deepEqual(done.results.map((r: any) => r.response.choices[0].message.content), ['Echo: SLOW 600 a', 'Echo: SLOW 300 b']);
      assert.equal(fake.requests.filter((r) => r.path === '/v1/messages/batches' && r.method === 'POST').length, createsBefore, 'not submitted again');
      assert.ok(fake.requests.some((r) => r.path.endsWith('/results')));
    } finally {
      await first?.close();
      await second?.close();
      removeDir(restartDir);
    }
  });

  test('cancel: requests not finished come back cancelled', async () => {
    const created = await gw.app.inject({ method: 'POST', url: '/v1/batch', headers: gw.auth, payload: { requests: [chat('quick'), chat('SLOW 60000 never')] } });
    const id = created.json().id;
    await waitFor(() => getBatch(gw, id), (b) => b.status === 'in_progress');
    const cancelled = await gw.app.inject({ method: 'POST', url: `/v1/batch/${id}/cancel`, headers: gw.auth });
    assert.equal(cancelled.statusCode, 200);
    assert.ok(['cancelling', 'cancelled'].includes(cancelled.json().status));
    const done = await waitFor(() => getBatch(gw, id), finished);
    assert.equal(done.status, 'cancelled');
    assert.deepEqual(done.results.map((r: any) => r.status), ['succeeded', 'canceled']);
    assert.deepEqual(done.request_counts, { total: 2, completed: 1, failed: 1 });
  });

  test('list pages, and an unknown id is a 404', async () => {
    const list = await gw.app.inject({ method: 'GET', url: '/v1/batch?limit=1', headers: gw.auth });
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().object, 'list');
    assert.equal(list.json().data.length, 1);
    assert.equal(list.json().has_more, true);
    const next = await gw.app.inject({ method: 'GET', url: `/v1/batch?limit=5&after=${list.json().last_id}`, headers: gw.auth });
    assert.equal(next.json().data.length >= 1, true);
    assert.notEqual(next.json().data[0].id, list.json().data[0].id);
    const missing = await gw.app.inject({ method: 'GET', url: '/v1/batch/batch_nope', headers: gw.auth });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'batch_not_found');
  });

  test('a JSONL body works like a JSON list', async () => {
    const jsonl = [{ custom_id: 'l1', method: 'POST', url: '/v1/chat/completions', body: chat('from jsonl') }].map((l) => JSON.stringify(l)).join('\n');
    const created = await gw.app.inject({ method: 'POST', url: '/v1/batch', headers: { ...gw.auth, 'content-type': 'application/jsonl' }, payload: jsonl });
    assert.equal(created.statusCode, 200, created.body);
    const done = await waitFor(() => getBatch(gw, created.json().id), finished);
    assert.deepEqual(done.results.map((r: any) => [r.custom_id, r.response.choices[0].message.content]), [['l1', 'Echo: from jsonl']]);
    const bad = await gw.app.inject({ method: 'POST', url: '/v1/batch', headers: { ...gw.auth, 'content-type': 'application/jsonl' }, payload: '{"custom_id":1}' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.param, 'file');
  });

  test("OpenAI's files + batches flow through the openai SDK", async () => {
    const server = await startExtensionGateway({ fake, dataDir: dir, config: POLL, listen: true, idPrefix: 'sdk' });
    try {
      const client = new OpenAI({ baseURL: server.baseURL, apiKey: GATEWAY_KEY, maxRetries: 0 });
      const lines = [
        { custom_id: 'first', method: 'POST', url: '/v1/chat/completions', body: chat('one') },
        { custom_id: 'second', method: 'POST', url: '/v1/chat/completions', body: chat('FAIL two') },
      ];
      const file = await client.files.create({ file: await toFile(Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n')), 'input.jsonl'), purpose: 'batch' });
      assert.match(file.id, /^file-/);
      assert.deepEqual([file.object, file.purpose, file.filename], ['file', 'batch', 'input.jsonl']);

      const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      assert.equal(batch.input_file_id, file.id);
      const done = await waitFor(() => client.batches.retrieve(batch.id), (b) => b.status === 'completed');
      assert.deepEqual(done.request_counts, { total: 2, completed: 1, failed: 1 });

      const output = (await (await client.files.content(done.output_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(output.map((l) => [l.custom_id, l.response.status_code, l.response.body.choices[0].message.content, l.error]), [['first', 200, 'Echo: one', null]]);
      const errors = (await (await client.files.content(done.error_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(errors.map((l) => [l.custom_id, l.response.status_code, l.response.body.error.type]), [['second', 400, 'invalid_request_error']]);

      const listed = await client.batches.list({ limit: 1 });
      assert.equal(listed.data[0]!.id, batch.id);
    } finally {
      await server.close();
    }
  });
});

describe('batches without Message Batches (live fallback)', () => {
  test('an upstream without the batches endpoint runs the batch on the live API at full price', async () => {
    const fake = await startFakeAnthropic({
      apiKey: UPSTREAM_KEY,
      respond: (req) => (req.path === '/v1/messages/batches' ? { error: { status: 404, type: 'not_found_error', message: 'Not Found' } } : responder(req)),
    });
    const dir = tempDataDir();
    const gw = await startExtensionGateway({ fake, dataDir: dir, config: { ...POLL, batchLiveConcurrency: 2 } });
    try {
      const texts = ['a', 'b', 'FAIL c', 'd', 'e'];
      const created = await gw.app.inject({ method: 'POST', url: '/v1/batch', headers: gw.auth, payload: { requests: texts.map((t) => chat(t)) } });
      const id = created.json().id;
      const done = await waitFor(() => getBatch(gw, id), finished);
      assert.equal(done.status, 'completed');
      assert.equal(done.backend, 'live');
      assert.deepEqual(done.results.map((r: any) => r.status), ['succeeded', 'succeeded', 'errored', 'succeeded', 'succeeded']);
      assert.equal(done.results[3].response.choices[0].message.content, 'Echo: d');
      assert.equal(fake.requests.filter((r) => r.path === '/v1/messages').length, 5);
      const rows = await waitFor(async () => usageRows(gw, id), (r) => r.length === 5);
      assert.deepEqual(rows.map((r) => r.batch), [0, 0, 0, 0, 0], 'the live API is billed at full price');
    } finally {
      await gw.close();
      await fake.close();
      removeDir(dir);
    }
  });

  test('BATCH_BACKEND=live never calls Message Batches, and a restart runs what was left', async () => {
    const fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY, respond: responder });
    const dir = tempDataDir();
    let gw: ExtensionGateway | undefined = await startExtensionGateway({ fake, dataDir: dir, config: { ...POLL, batchBackend: 'live', batchLiveConcurrency: 1 }, idPrefix: 'one' });
    try {
      const created = await gw.app.inject({ method: 'POST', url: '/v1/batch', headers: gw.auth, payload: { requests: [chat('SLOW 200 a'), chat('b'), chat('c')] } });
      const id = created.json().id;
      await gw.close();
      gw = await startExtensionGateway({ fake, dataDir: dir, config: { ...POLL, batchBackend: 'live' }, idPrefix: 'two' });
      const done = await waitFor(() => getBatch(gw!, id), finished);
      assert.deepEqual(done.results.map((r: any) => r.response?.choices[0].message.content), ['Echo: SLOW 200 a', 'Echo: b', 'Echo: c']);
      assert.equal(fake.requests.some((r) => r.path.startsWith('/v1/messages/batches')), false);
    } finally {
      await gw?.close();
      await fake.close();
      removeDir(dir);
    }
  });
});
