import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startFakeAnthropic, type FakeAnthropic } from './index.ts';
import { client, parseSse, post, request, VERSION_HEADERS } from './test-helpers.ts';

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({ seed: 5 });
});
after(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setResponder(undefined);
});

const streamBody = request({ stream: true, messages: [{ role: 'user', content: 'a reasonably long question for several fragments' }] });

/** Reads a streamed body chunk by chunk, keeping what arrived before any failure. */
async function readAll(res: Response): Promise<{ text: string; error?: unknown }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('HTTP error plans', () => {
  test('an overloaded answer uses the status, type and message given, in the error shape', async () => {
    fake.setResponder(() => ({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }));
    const res = await post(fake, '/v1/messages', request());
    assert.equal(res.status, 529);
    assert.deepEqual(res.json, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: res.headers.get('request-id') });
  });

  test('a rate limit carries retry-after, and the SDK sees a RateLimitError', async () => {
    fake.setResponder(() => ({ error: { status: 429, type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }));
    const res = await post(fake, '/v1/messages', request());
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1');
    await assert.rejects(client(fake).messages.create(request() as any), (err: unknown) => {
      assert.ok(err instanceof Anthropic.RateLimitError);
      assert.equal(err.status, 429);
      return true;
    });
  });

  test('plan headers are sent with the error', async () => {
    fake.setResponder(() => ({ error: { status: 500, type: 'api_error', message: 'Internal server error', headers: { 'x-should-retry': 'true' } } }));
    const res = await post(fake, '/v1/messages', request());
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('x-should-retry'), 'true');
    assert.equal(res.json.error.type, 'api_error');
  });
});

describe('faults after a 200', () => {
  test('errorEventAfter sends an overloaded error event after that many content events and ends the stream', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'one two three four five six seven' }], errorEventAfter: 2 }));
    const res = await post(fake, '/v1/messages', streamBody);
    assert.equal(res.status, 200);
    const events = parseSse(res.text);
    assert.deepEqual(
      events.map((e) => e.event),
      ['message_start', 'content_block_start', 'ping', 'content_block_delta', 'error'],
    );
    assert.deepEqual(events.at(-1)!.data.error, { type: 'overloaded_error', message: 'Overloaded' });
  });

  test('the SDK stream helper throws on the error event', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'partial answer here' }], errorEventAfter: 1, errorEvent: { type: 'api_error', message: 'boom' } }));
    const stream = client(fake).messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'go' }] });
    await assert.rejects(stream.finalMessage(), (err: unknown) => {
      assert.ok(err instanceof Anthropic.APIError);
      assert.equal(err.type, 'api_error');
      return true;
    });
  });

  test('dropAfter tears the socket down mid-stream, without message_stop', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'this answer never finishes' }], dropAfter: 3 }));
    const res = await fetch(fake.url + '/v1/messages', { method: 'POST', headers: VERSION_HEADERS, body: JSON.stringify(streamBody) });
    assert.equal(res.status, 200);
    const { text, error } = await readAll(res);
    assert.ok(error, 'reading the body should fail');
    const names = parseSse(text).map((e) => e.event);
    assert.deepEqual(names, ['message_start', 'content_block_start', 'ping', 'content_block_delta']);
    assert.equal(fake.requests[0]!.aborted, false, 'the server, not the client, ended it');
  });

  test('the SDK reports a dropped stream as a failure', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'cut short' }], dropAfter: 2 }));
    const stream = client(fake).messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'go' }] });
    await assert.rejects(stream.finalMessage());
  });
});

describe('timing', () => {
  test('a hanging request is recorded as aborted when the client gives up', async () => {
    fake.setResponder(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = fetch(fake.url + '/v1/messages', { method: 'POST', headers: VERSION_HEADERS, body: JSON.stringify(request()), signal: controller.signal });
    await waitFor(() => fake.requests.length === 1);
    assert.equal(fake.requests[0]!.aborted, false);
    controller.abort();
    await assert.rejects(pending);
    await waitFor(() => fake.requests[0]!.aborted);
  });

  test('close() returns promptly with a request still hanging', async () => {
    const own = await startFakeAnthropic({ respond: () => ({ hang: true }) });
    const pending = fetch(own.url + '/v1/messages', { method: 'POST', headers: VERSION_HEADERS, body: JSON.stringify(request()) }).catch((e) => e);
    await waitFor(() => own.requests.length === 1);
    const started = Date.now();
    await own.close();
    assert.ok(Date.now() - started < 1000);
    assert.ok((await pending) instanceof Error);
  });

  test('delayMs holds back the first byte', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'late' }], delayMs: 150 }));
    const started = Date.now();
    const res = await post(fake, '/v1/messages', request());
    assert.ok(Date.now() - started >= 140);
    assert.deepEqual(res.json.content, [{ type: 'text', text: 'late' }]);
  });

  test('long silences between events are filled with pings', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'slow' }], eventDelayMs: 1100, errorEventAfter: 0 }));
    const started = Date.now();
    const res = await post(fake, '/v1/messages', streamBody);
    assert.ok(Date.now() - started >= 1000);
    assert.deepEqual(
      parseSse(res.text).map((e) => e.event),
      ['message_start', 'ping', 'error'],
    );
  });

  test('short pauses between events add no pings', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'ok' }], eventDelayMs: 40 }));
    const started = Date.now();
    const res = await post(fake, '/v1/messages', streamBody);
    const names = parseSse(res.text).map((e) => e.event);
    assert.equal(names.filter((n) => n === 'ping').length, 1);
    assert.ok(Date.now() - started >= 40 * (names.length - 1) - 10);
  });

  test('a client leaving mid-stream is recorded as aborted', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'one two three four five six seven eight' }], eventDelayMs: 100 }));
    const controller = new AbortController();
    const res = await fetch(fake.url + '/v1/messages', { method: 'POST', headers: VERSION_HEADERS, body: JSON.stringify(streamBody), signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await waitFor(() => fake.requests[0]!.aborted);
  });
});
